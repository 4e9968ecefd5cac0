/** The TopstepX / ProjectX Gateway venue (REST layer; the SignalR hubs come later). */
export { ProjectXBroker, type ProjectXBrokerOptions } from './adapter.ts';
export { ProjectXClient, PRODUCTION_BASE_URL, PROJECTX_LANES, type ProjectXClientOptions } from './client.ts';
export * as projectxMapper from './mapper.ts';
