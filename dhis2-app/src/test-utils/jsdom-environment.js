// jsdom 16 (jest 27) lacks what the app uses from today's browsers: structuredClone (fake-indexeddb needs
// it), TextEncoder, CompressionStream and crypto.getRandomValues. Node 20 has them all.
const { webcrypto } = require('crypto')
const { TextDecoder, TextEncoder } = require('util')
const JsdomEnvironmentModule = require('jest-environment-jsdom')

const JsdomEnvironment = JsdomEnvironmentModule.default ?? JsdomEnvironmentModule

class ClinicEnvironment extends JsdomEnvironment {
    async setup() {
        await super.setup()
        const browser = this.global
        browser.structuredClone = structuredClone
        browser.TextEncoder = TextEncoder
        browser.TextDecoder = TextDecoder
        browser.CompressionStream = CompressionStream
        browser.DecompressionStream = DecompressionStream
        browser.ReadableStream = ReadableStream
        browser.WritableStream = WritableStream
        browser.TransformStream = TransformStream
        if (!browser.crypto || !browser.crypto.getRandomValues) {
            Object.defineProperty(browser, 'crypto', { value: webcrypto, configurable: true })
        }
    }
}

module.exports = ClinicEnvironment
