/** The 巨量千川 Open API emulator (a test part): see ./qianchuan/index.ts. */
export * from './qianchuan/index.ts';
