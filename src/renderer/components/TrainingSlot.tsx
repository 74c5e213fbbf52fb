import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

// The training view belongs to the suggestions work (components/training/); the console mounts it once it exists.
const modules = import.meta.glob<Record<string, unknown>>('./training/*.{ts,tsx}');

export const trainingAvailable = Object.keys(modules).length > 0;

const TrainingView = lazy(async () => {
  for (const load of Object.values(modules)) {
    const mod = await load();
    if (typeof mod.TrainingView === 'function') return { default: mod.TrainingView as ComponentType };
  }
  return { default: () => null };
});

export function TrainingSlot() {
  const { t } = useTranslation();
  return <Suspense fallback={<p>{t('conversation.loading')}</p>}><TrainingView /></Suspense>;
}
