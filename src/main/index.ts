// Placeholder entry so the build has all three parts; the Electron shell replaces it.
import { app } from 'electron';

app.whenReady().then(() => app.quit());
