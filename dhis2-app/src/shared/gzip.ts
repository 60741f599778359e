// gzip in the browser (CompressionStream), without Blob.stream() or Response, which old WebViews lack.

export const canGzip = (): boolean => typeof CompressionStream === 'function'

export async function gzip(text: string): Promise<Uint8Array> {
    const compression = new CompressionStream('gzip')
    const writer = compression.writable.getWriter()
    // Not awaited before reading: a large body would fill the stream's queue and wait for a reader forever.
    const written = writer.write(new TextEncoder().encode(text)).then(() => writer.close())
    const chunks: Uint8Array[] = []
    const reader = compression.readable.getReader()
    for (;;) {
        const { done, value } = await reader.read()
        if (done) {
            break
        }
        chunks.push(value)
    }
    await written
    const bytes = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.length, 0))
    let offset = 0
    for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.length
    }
    return bytes
}
