// Reads a gettext file (i18n/en.pot, i18n/fr.po) into its messages, for the tests of the translations.
import { readFileSync } from 'fs'

export interface PoMessage {
    id: string
    strings: string[]
}

const unquote = (line: string) => JSON.parse(line.slice(line.indexOf('"'))) as string

export function readPo(path: string): PoMessage[] {
    const messages: PoMessage[] = []
    let current: PoMessage | undefined
    let field: 'id' | 'plural' | number | undefined
    for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line.startsWith('msgid ')) {
            current = { id: unquote(line), strings: [] }
            messages.push(current)
            field = 'id'
        } else if (line.startsWith('msgid_plural ')) {
            field = 'plural'
        } else if (line.startsWith('msgstr')) {
            const index = Number(/^msgstr\[(\d+)\]/.exec(line)?.[1] ?? 0)
            current?.strings.splice(index, 0, unquote(line))
            field = index
        } else if (line.startsWith('"') && current) {
            if (field === 'id') current.id += unquote(line)
            else if (typeof field === 'number') current.strings[field] += unquote(line)
        }
    }
    return messages.filter((message) => message.id !== '')
}
