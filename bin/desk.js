#!/usr/bin/env node
// The `desk` command runs the TypeScript sources directly through tsx, so it
// works right after `npm install` with no separate compile step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
