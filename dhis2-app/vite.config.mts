// Merged onto the App Platform's Vite config (d2.config.js viteConfigExtensions).
//
// The shell bundles the platform, @dhis2/ui and the app together, so the built chunks alone cannot say how
// much of the code is the app's own. This plugin records, for every chunk, the modules Rollup rendered into
// it (after tree-shaking, before minification) in build/bundle-composition.json, outside build/app so it is
// neither served nor zipped. bench/app-size.ts reads it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const compositionFile = fileURLToPath(new URL('./build/bundle-composition.json', import.meta.url))

function bundleComposition(): Plugin {
    return {
        name: 'smc-bundle-composition',
        apply: 'build',
        generateBundle(_options, bundle) {
            const chunks = Object.values(bundle).flatMap((output) =>
                output.type === 'chunk'
                    ? [
                          {
                              fileName: output.fileName,
                              css: [...(output.viteMetadata?.importedCss ?? [])],
                              modules: Object.entries(output.modules).map(([id, module]) => ({
                                  id,
                                  code: module.code ?? '',
                              })),
                          },
                      ]
                    : []
            )
            mkdirSync(fileURLToPath(new URL('./build/', import.meta.url)), { recursive: true })
            writeFileSync(compositionFile, JSON.stringify({ chunks }))
        },
    }
}

export default defineConfig({
    plugins: [bundleComposition()],
})
