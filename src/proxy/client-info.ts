// What the server socket knows about a request's client (its address), handed to the gateway
// beside the Request, since a Request object has no place for it.

export interface ClientInfo {
  remoteAddr?: string
}

const infos = new WeakMap<Request, ClientInfo>()

export const setClientInfo = (request: Request, info: ClientInfo): void => void infos.set(request, info)

export const clientInfo = (request: Request): ClientInfo | undefined => infos.get(request)
