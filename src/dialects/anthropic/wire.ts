// This dialect's wire JSON readers: the shared ones (../wire-json.ts).
export * from '../wire-json'
