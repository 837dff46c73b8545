// Which Envelope body answers which request, and the event name of each push. guildhall.proto lists the bodies
// by direction but not the pairs; docs/protocol.md does. test/protocol.test.mjs checks every name here against
// the .proto, so a renamed or removed message fails that test rather than a user.

import type * as v1 from './protocol.js';

/** The answer body of each request that has one. */
export interface Answers {
  authenticate: v1.Authenticated;
  ping: v1.Pong;
  joinChannel: v1.ChannelJoined;
  leaveChannel: v1.ChannelLeft;
  listMembers: v1.MemberList;
  sendMessage: v1.MessageAccepted;
  channelHistory: v1.HistoryPage;
  sendDirect: v1.MessageAccepted;
  directHistory: v1.HistoryPage;
  createMatch: v1.MatchSnapshot;
  listOpenMatches: v1.MatchList;
  joinMatch: v1.MatchSnapshot;
  openMatch: v1.MatchSnapshot;
  leaveMatch: v1.MatchLeft;
  makeMove: v1.MoveAccepted;
  matchAction: v1.MatchSnapshot;
  listMyMatches: v1.MatchList;
  getLeaderboard: v1.LeaderboardPage;
  ackNotifications: v1.NotificationsAcknowledged;
  createRoom: v1.RoomJoined;
  joinRoom: v1.RoomJoined;
  listRooms: v1.RoomList;
  leaveRoom: v1.RoomLeft;
  matchmakerAdd: v1.MatchmakerTicket;
  matchmakerRemove: v1.MatchmakerRemoved;
}

/** The Envelope field (JSON name) of each answer; checked against the .proto's Responses. */
export const ANSWER_KINDS: { readonly [K in keyof Answers]: v1.ResponseKind } = Object.freeze({
  authenticate: 'authenticated',
  ping: 'pong',
  joinChannel: 'channelJoined',
  leaveChannel: 'channelLeft',
  listMembers: 'memberList',
  sendMessage: 'messageAccepted',
  channelHistory: 'historyPage',
  sendDirect: 'messageAccepted',
  directHistory: 'historyPage',
  createMatch: 'matchSnapshot',
  listOpenMatches: 'matchList',
  joinMatch: 'matchSnapshot',
  openMatch: 'matchSnapshot',
  leaveMatch: 'matchLeft',
  makeMove: 'moveAccepted',
  matchAction: 'matchSnapshot',
  listMyMatches: 'matchList',
  getLeaderboard: 'leaderboardPage',
  ackNotifications: 'notificationsAcknowledged',
  createRoom: 'roomJoined',
  joinRoom: 'roomJoined',
  listRooms: 'roomList',
  leaveRoom: 'roomLeft',
  matchmakerAdd: 'matchmakerTicket',
  matchmakerRemove: 'matchmakerRemoved',
});

/** Requests without an answer: sent without a cid; a refusal comes back as an Error push. */
export const ONE_WAY_KINDS = Object.freeze(['roomInput', 'roomMessage'] as const);
export type OneWayKind = (typeof ONE_WAY_KINDS)[number];

/** The event a push is dispatched as (lower case, as DOM events are named). */
export const PUSH_EVENTS: { readonly [K in v1.PushKind]: string } = Object.freeze({
  chatMessage: 'chatmessage',
  presence: 'presence',
  closing: 'closing',
  matchEvent: 'matchevent',
  notification: 'notification',
  openMatchesChanged: 'openmatcheschanged',
  roomSnapshot: 'roomsnapshot',
  roomEvent: 'roomevent',
  roomClosed: 'roomclosed',
  matchmakerMatched: 'matchmakermatched',
  matchmakerCancelled: 'matchmakercancelled',
});
