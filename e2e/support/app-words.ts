// The app's words in a language, from its own translations (dhis2-app/i18n/<language>.po), so that the
// steps of clinic-app.ts read the same screen in English and in French.
import { readFileSync } from 'node:fs';

export type Language = 'en' | 'fr';
export type Words = (english: string) => string;

const unquote = (line: string) => JSON.parse(line.slice(line.indexOf('"'))) as string;

/** msgid → msgstr (the singular form), for entries without a context. */
function translations(language: Exclude<Language, 'en'>): Map<string, string> {
  const text = readFileSync(new URL(`../../dhis2-app/i18n/${language}.po`, import.meta.url), 'utf8');
  const table = new Map<string, string>();
  for (const entry of text.split(/\n\s*\n/)) {
    let id: string | undefined;
    let str: string | undefined;
    let current: 'id' | 'str' | undefined;
    for (const line of entry.split('\n')) {
      if (line.startsWith('msgctxt')) current = undefined;
      else if (line.startsWith('msgid ')) [id, current] = [unquote(line), 'id'];
      else if (line.startsWith('msgstr ') || line.startsWith('msgstr[0] ')) [str, current] = [unquote(line), 'str'];
      else if (line.startsWith('msgstr[') || line.startsWith('msgid_plural')) current = undefined;
      else if (line.startsWith('"') && current === 'id') id += unquote(line);
      else if (line.startsWith('"') && current === 'str') str += unquote(line);
    }
    if (id && str) table.set(id, str);
  }
  return table;
}

export function wordsFor(language: Language): Words {
  if (language === 'en') return (english) => english;
  const table = translations(language);
  return (english) => {
    const translated = table.get(english);
    if (translated === undefined) throw new Error(`dhis2-app/i18n/${language}.po has no translation of "${english}"`);
    return translated;
  };
}
