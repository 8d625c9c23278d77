/** Types for the undici modules imported one by one (the package types only its index). */

declare module 'undici/lib/api/api-request' {
  import type { Dispatcher } from 'undici';
  const request: Dispatcher['request'];
  export = request;
}

declare module 'undici/lib/api/api-connect' {
  import type { Dispatcher } from 'undici';
  const connect: Dispatcher['connect'];
  export = connect;
}

declare module 'undici/lib/dispatcher/dispatcher' {
  import { Dispatcher } from 'undici';
  export = Dispatcher;
}

declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/dispatcher/proxy-agent' {
  import { ProxyAgent } from 'undici';
  export = ProxyAgent;
}
