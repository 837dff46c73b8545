"""Turn-based matches, notifications and leaderboards over WebSocket, TCP and UDP against a real server."""

from __future__ import annotations

import pytest

import guildhall
from guildhall import MatchAction, MatchEventKind, MatchStatus
from conftest import Server, guest, next_of, run


async def started_match(url: str, rated: bool = False) -> tuple[guildhall.AsyncClient, guildhall.AsyncClient, int]:
    """ada (seat 0, to move) and bob in an active tic-tac-toe match."""
    ada, bob = await guest(url), await guest(url)
    created = await ada.matches.create("tictactoe", seat=guildhall.SeatChoice.FIRST, rated=rated)
    assert created.info.status == MatchStatus.OPEN and created.your_seat == 0
    match_id = created.info.match_id
    assert match_id in {m.match_id for m in await bob.matches.list_open("tictactoe")}
    joined = await bob.matches.join(match_id)
    assert joined.info.status == MatchStatus.ACTIVE and joined.your_seat == 1
    await next_of(ada, guildhall.MatchEvent, kind=MatchEventKind.STARTED)
    return ada, bob, match_id


def test_moves_events_errors_and_resignation(server: Server, transport: str) -> None:
    async def body() -> None:
        ada, bob, match_id = await started_match(server.url(transport), rated=True)
        first = await ada.matches.move(match_id, "4", expected_ply=0)
        assert (first.ply, first.seat, first.move) == (1, 0, "4")
        moved = await next_of(bob, guildhall.MatchEvent, kind=MatchEventKind.MOVED)
        assert moved.move is not None and moved.move.move == "4" and moved.info.to_move == 1
        assert "4" not in moved.legal_moves and len(moved.legal_moves) == 8

        with pytest.raises(guildhall.ServerError) as stale:
            await bob.matches.move(match_id, "0", expected_ply=0)
        assert stale.value.code == "NOT_YOUR_TURN"
        with pytest.raises(guildhall.ServerError) as taken:
            await bob.matches.move(match_id, "4", expected_ply=1)
        assert taken.value.code == "ILLEGAL_MOVE" and taken.value.message
        with pytest.raises(guildhall.ServerError) as turn:
            await ada.matches.move(match_id, "0")
        assert turn.value.code == "NOT_YOUR_TURN"
        await bob.matches.move(match_id, "0", expected_ply=1)

        offered = await ada.matches.act(match_id, MatchAction.OFFER_DRAW)
        assert offered.info.draw_offered_by == 0
        await next_of(bob, guildhall.MatchEvent, kind=MatchEventKind.DRAW_OFFERED)
        await bob.matches.act(match_id, MatchAction.DECLINE_DRAW)
        resigned = await bob.matches.act(match_id, MatchAction.RESIGN)
        assert resigned.info.status == MatchStatus.FINISHED and resigned.info.result.winner == 0
        assert [m.move for m in resigned.moves] == ["4", "0"]
        ended = await next_of(ada, guildhall.MatchEvent, kind=MatchEventKind.ENDED)
        assert ended.info.result.reason == "resignation"
        assert match_id not in ada.matches.followed

        mine = await ada.matches.list_mine(include_finished=True)
        assert match_id in {m.match_id for m in mine}
        assert match_id not in {m.match_id for m in await ada.matches.list_mine()}
        assert ada.me is not None
        board = await ada.leaderboards.get("tictactoe", around=ada.me.username, limit=5)
        assert board.game == "tictactoe" and ada.me.username in {e.username for e in board.entries}
        top = await bob.leaderboards.get("tictactoe")
        assert top.entries and top.entries[0].rank == 1
        await ada.close()
        await bob.close()
    run(body())


def test_open_with_after_ply_and_notifications(server: Server, transport: str) -> None:
    async def body() -> None:
        ada, bob, match_id = await started_match(server.url(transport))
        await ada.matches.move(match_id, "4")
        await bob.matches.leave(match_id)  # bob stops following: his turns become notifications
        await bob.matches.move(match_id, "0")
        await ada.matches.move(match_id, "8")
        turn = await next_of(bob, guildhall.Notification, kind=guildhall.NotificationKind.YOUR_TURN)
        assert turn.match_id == match_id and turn.game == "tictactoe"
        assert await bob.matches.acknowledge_notifications([turn.notification_id]) == 1

        reopened = await bob.matches.open(match_id, after_ply=1)
        assert [m.move for m in reopened.moves] == ["0", "8"] and reopened.info.ply == 3
        assert reopened.your_seat == 1 and set(reopened.legal_moves) == {"1", "2", "3", "5", "6", "7"}
        assert bob.matches.followed == {match_id: 3}
        await ada.close()
        await bob.close()
    run(body())


def test_bot_match_and_open_list_subscription(server: Server, transport: str) -> None:
    async def body() -> None:
        url = server.url(transport)
        ada, bob = await guest(url), await guest(url)
        await bob.matches.list_open("tictactoe", subscribe=True)
        vs_bot = await ada.matches.create("tictactoe", bot=True, seat=guildhall.SeatChoice.FIRST)
        assert vs_bot.info.status == MatchStatus.ACTIVE and any(p.bot for p in vs_bot.info.players)
        await ada.matches.move(vs_bot.info.match_id, "4")
        bot_move = await next_of(ada, guildhall.MatchEvent, kind=MatchEventKind.MOVED)
        assert bot_move.move is not None and bot_move.move.seat in (0, 1)

        open_match = await ada.matches.create("tictactoe")
        added = await next_of(bob, guildhall.OpenMatchesChanged, kind=guildhall.OpenMatchChange.ADDED)
        assert added.match.match_id == open_match.info.match_id
        aborted = await ada.matches.act(open_match.info.match_id, MatchAction.ABORT)
        assert aborted.info.status == MatchStatus.ABORTED
        removed = await next_of(bob, guildhall.OpenMatchesChanged, kind=guildhall.OpenMatchChange.REMOVED)
        assert removed.match.match_id == open_match.info.match_id
        await ada.close()
        await bob.close()
    run(body())
