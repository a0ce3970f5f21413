/** Real-source adapters: see bridge.ts for the whole path, each adapter's file for its mapping. */
export * from './common.ts';
export * from './connector.ts';
export * from './room-mux.ts';
export * from './tiktok-chat-reader.ts';
export * from './douyin-webcast.ts';
export * from './barrage-grab.ts';
export * from './merchant-orders.ts';
export * from './capture.ts';
export * from './replay.ts';
export * from './bridge.ts';
