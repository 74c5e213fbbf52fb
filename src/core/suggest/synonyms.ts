import file from '../../../data/suggest/synonyms.json';
import { Analyzer, Synonyms, type SynonymFile } from './text';

/** The editable synonym list shipped with the app (data/suggest/synonyms.json), bundled at build time. */
export const defaultSynonyms: SynonymFile = { groups: (file as SynonymFile).groups };

export function defaultAnalyzer(): Analyzer {
  return new Analyzer(new Synonyms(defaultSynonyms));
}
