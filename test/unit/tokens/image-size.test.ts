import { describe, expect, test } from 'bun:test'
import { imageSizeFromBase64 } from '../../../src/tokens/image-size'
import {
  GIF_5X3,
  JPEG_37X21,
  JPEG_PROGRESSIVE_37X21,
  jpegWithExif,
  PNG_3X2,
  pngHeader,
  WEBP_ALPHA_11X6,
  WEBP_LOSSLESS_13X7,
  WEBP_LOSSY_13X7,
} from './images'

describe('imageSizeFromBase64', () => {
  test.each([
    ['PNG', PNG_3X2, 3, 2],
    ['baseline JPEG', JPEG_37X21, 37, 21],
    ['progressive JPEG', JPEG_PROGRESSIVE_37X21, 37, 21],
    ['GIF', GIF_5X3, 5, 3],
    ['lossy WebP', WEBP_LOSSY_13X7, 13, 7],
    ['lossless WebP', WEBP_LOSSLESS_13X7, 13, 7],
    ['extended WebP', WEBP_ALPHA_11X6, 11, 6],
  ])('%s', (_name, b64, width, height) => {
    expect(imageSizeFromBase64(b64)).toEqual({ width, height })
  })

  test('JPEG frame header found after a large EXIF segment, at any base64 alignment', () => {
    for (const n of [4000, 4001, 4002, 60000]) expect(imageSizeFromBase64(jpegWithExif(JPEG_37X21, n))).toEqual({ width: 37, height: 21 })
  })

  test('large dimensions are read as unsigned', () => {
    expect(imageSizeFromBase64(pngHeader(40000, 3))).toEqual({ width: 40000, height: 3 })
  })

  test('unknown, truncated or garbage data gives undefined, never a throw', () => {
    expect(imageSizeFromBase64('')).toBeUndefined()
    expect(imageSizeFromBase64('bm90IGFuIGltYWdl')).toBeUndefined()
    expect(imageSizeFromBase64('!!!***')).toBeUndefined()
    expect(imageSizeFromBase64(PNG_3X2.slice(0, 20))).toBeUndefined()
    expect(imageSizeFromBase64(JPEG_37X21.slice(0, 200))).toBeUndefined()
    expect(imageSizeFromBase64(pngHeader(0, 10))).toBeUndefined()
  })
})
