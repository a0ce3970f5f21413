/** The retrospective's requests, answered by the RetroService the CLI uses too. */
import type { RetroService } from './service.ts';
import type { RequestHandlers } from '../../../shared/contract.ts';

export function retroHandlers(retro: RetroService): RequestHandlers<'listSessions' | 'getReport' | 'compareSessions' | 'addNote' | 'deleteNote' | 'setSessionTarget' | 'exportReport' | 'revealExport'> {
  return {
    listSessions: (a) => retro.listSessions(a),
    getReport: (a) => retro.getReport(a.sessionId),
    compareSessions: (a) => retro.compare(a.sessionIds, a.align === 'slot' ? 'slot' : 'minute'),
    addNote: (a) => retro.addNote(a.sessionId, a.minute ?? null, a.text),
    deleteNote: (a) => retro.deleteNote(a.id),
    setSessionTarget: (a) => retro.setSessionTarget(a.sessionId, a.gmvFen ?? null),
    exportReport: (a) => retro.exportReport(a.sessionId, a.format, a.locale),
    revealExport: () => {
      // The core has no file manager: the desktop app's main process answers this one itself.
      throw new Error('showing a file in its folder works in the desktop app; in browser mode the report downloads');
    },
  };
}
