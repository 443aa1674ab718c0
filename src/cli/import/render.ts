// An imported config → YAML text, each note a `#` comment above the key it concerns (or at the
// top when it concerns nothing that was written).
import YAML, { isMap, isScalar, type Node } from 'yaml'
import type { Imported, Note } from './imported'

export function renderImported(imp: Imported, header: string): string {
  const doc = new YAML.Document(imp.file)
  const top: string[] = [header]
  for (const note of imp.notes) if (!attach(doc, note)) top.push(` ${note.text}`)
  doc.commentBefore = top.join('\n')
  return doc.toString({ lineWidth: 0 })
}

const commentLines = (text: string) => text.split('\n').map((l) => ` ${l}`).join('\n')

function attach(doc: YAML.Document, note: Note): boolean {
  if (!note.at || note.at.length === 0) return false
  const parent = doc.getIn(note.at.slice(0, -1), true) as Node | undefined
  const last = note.at[note.at.length - 1]
  if (!parent || !isMap(parent)) return false
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last)
  if (!pair || !isScalar(pair.key)) return false
  const key = pair.key
  key.commentBefore = key.commentBefore ? `${key.commentBefore}\n${commentLines(note.text)}` : commentLines(note.text)
  return true
}
