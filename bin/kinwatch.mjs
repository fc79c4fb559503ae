#!/usr/bin/env node
// The `kinwatch` command. The sources are TypeScript run through tsx, so there is no build step
// between a checkout and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../packages/server/src/cli.ts');
