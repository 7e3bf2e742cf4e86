// Moved to the gateway's package (the upload page runs the same code): kept so imports of this path still work.
export * from '@pcmt/gateway/import';
