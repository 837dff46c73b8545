"""Accounts and chat over WebSocket, TCP and UDP against a real server: every chat call, its pushes and its errors."""

from __future__ import annotations

import pytest

import guildhall
from conftest import Server, fast_options, guest, next_of, run, unique


def test_register_login_refresh_logout(server: Server, transport: str) -> None:
    async def body() -> None:
        url = server.url(transport)
        name, password = unique("ada"), "correct horse"
        client = guildhall.AsyncClient(url, fast_options())
        registered = await client.register(name, password)
        assert registered.username == name and registered.access_token and registered.refresh_token
        with pytest.raises(guildhall.ServerError) as taken:
            await client.register(name, password)
        assert taken.value.code == "USERNAME_TAKEN"
        logged_in = await client.login(name, password)
        assert logged_in.user_id == registered.user_id
        refreshed = await client.login_refresh(logged_in.refresh_token)
        assert refreshed.refresh_token != logged_in.refresh_token and client.session == refreshed
        me = await client.connect()
        assert (me.user_id, me.username) == (registered.user_id, name)
        assert client.transport_kind == transport and client.bytes_received > 0
        assert await client.ping() > 0
        network = client.network  # over UDP the message layer's numbers, else the ping's
        assert network.transport == transport and network.bytes_received == client.bytes_received
        assert network.rtt_ms == client.rtt_ms if transport != "udp" else 0 <= network.rtt_ms < 1000
        again = guildhall.AsyncClient(url, fast_options())
        again.set_session(refreshed)  # tokens kept from an earlier run: no login
        assert (await again.connect()).user_id == registered.user_id
        await again.close()
        await client.logout()
        with pytest.raises(guildhall.AuthFailed):
            await client.login_refresh(refreshed.refresh_token)
    run(body())


def test_bad_password_is_auth_failed(server: Server, transport: str) -> None:
    async def body() -> None:
        name = unique("bob")
        await guildhall.AsyncClient(server.url(transport), fast_options()).register(name, "a good password")
        with pytest.raises(guildhall.AuthFailed) as failed:
            await guildhall.connect(server.url(transport), username=name, password="the wrong one",
                                    options=fast_options())
        assert failed.value.code == "AUTH_FAILED"
        with pytest.raises(guildhall.AuthFailed):
            await guildhall.connect(server.url(transport), refresh_token="r1.not-a-token", options=fast_options())
    run(body())


def test_channels_messages_presence_history(server: Server, transport: str) -> None:
    async def body() -> None:
        url = server.url(transport)
        channel = unique("room-")
        async with guildhall.connect(url, guest_id=unique("device-"), options=fast_options()) as ada:
            bob = await guest(url)
            assert ada.me is not None and bob.me is not None
            joined = await ada.chat.join(channel)
            assert [m.username for m in joined.members] == [ada.me.username]
            assert (await bob.chat.join(channel)).channel == channel
            presence = await next_of(ada, guildhall.Presence, channel=channel, member=bob.me and
                                     guildhall.Member(bob.me.user_id, bob.me.username))
            assert presence.kind == guildhall.PresenceKind.JOINED
            members = await ada.chat.members(channel)
            assert {m.username for m in members} == {ada.me.username, bob.me.username}

            sent = await bob.chat.send(channel, "hello from bob")
            got = await next_of(ada, guildhall.ChatMessageReceived)
            assert got.message.text == "hello from bob" and got.message.from_username == bob.me.username
            assert got.message.message_id == sent.message_id and got.message.channel == channel
            page = await ada.chat.history(channel, limit=10)
            assert [m.text for m in page.messages] == ["hello from bob"] and page.next_before_id == 0

            await bob.chat.send_direct(ada.me.username, "psst")
            direct = await next_of(ada, guildhall.ChatMessageReceived)
            assert (direct.message.text, direct.message.to_username) == ("psst", ada.me.username)
            conversation = await ada.chat.direct_history(bob.me.username)
            assert [m.text for m in conversation.messages] == ["psst"]

            await bob.chat.leave(channel)
            left = await next_of(ada, guildhall.Presence, channel=channel)
            assert left.kind == guildhall.PresenceKind.LEFT
            assert channel not in bob.chat.channels and channel in ada.chat.channels
            with pytest.raises(guildhall.ServerError) as not_member:
                await bob.chat.send(channel, "after leaving")
            assert not_member.value.code == "NOT_MEMBER" and not_member.value.request == "SendMessage"
            with pytest.raises(guildhall.ServerError) as unknown:
                await bob.chat.send_direct("nobody-" + unique("x"), "hi")
            assert unknown.value.code == "NOT_FOUND"
            await bob.close()
            with pytest.raises(guildhall.NotConnected):
                await bob.chat.send(channel, "closed")
    run(body())


def test_offline_presence_when_a_member_disconnects(server: Server, transport: str) -> None:
    async def body() -> None:
        url, channel = server.url(transport), unique("room-")
        ada, bob = await guest(url), await guest(url)
        await ada.chat.join(channel)
        await bob.chat.join(channel)
        await next_of(ada, guildhall.Presence, kind=guildhall.PresenceKind.JOINED)
        await bob.close()
        offline = await next_of(ada, guildhall.Presence, kind=guildhall.PresenceKind.OFFLINE)
        assert bob.me is not None and offline.member.username == bob.me.username
        await ada.close()
    run(body())
