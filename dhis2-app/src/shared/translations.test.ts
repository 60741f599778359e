// The translations are complete: every string the app shows is in i18n/en.pot (the build extracts it),
// and every string there has a French translation in i18n/fr.po.
import { readdirSync, readFileSync, statSync } from 'fs'
import { join } from 'path'
import { readPo } from '../test-utils/po-file'

const root = join(__dirname, '..', '..')

function sourceFiles(directory: string): string[] {
    return readdirSync(directory).flatMap((name) => {
        const path = join(directory, name)
        if (statSync(path).isDirectory()) return name === 'locales' || name === 'test-utils' ? [] : sourceFiles(path)
        return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
    })
}

const keysInSource = sourceFiles(join(root, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/i18n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((match) => (match[1] as string).replace(/\\'/g, "'"))
)

test('no key holds what the extractor splits on (":" namespaces, "_" contexts and plurals)', () => {
    expect(keysInSource.filter((key) => /[:_]/.test(key))).toEqual([])
})

test('every string shown is in en.pot', () => {
    const extracted = new Set(readPo(join(root, 'i18n', 'en.pot')).map((message) => message.id))
    expect(keysInSource.filter((key) => !extracted.has(key))).toEqual([])
})

test('every string in en.pot has a French translation', () => {
    const french = new Map(readPo(join(root, 'i18n', 'fr.po')).map((message) => [message.id, message.strings]))
    const missing = readPo(join(root, 'i18n', 'en.pot'))
        .filter((message) => !message.id.startsWith('__MANIFEST'))
        .filter((message) => {
            const strings = french.get(message.id)
            return !strings || strings.length === 0 || strings.some((text) => text.trim() === '')
        })
        .map((message) => message.id)
    expect(missing).toEqual([])
})
