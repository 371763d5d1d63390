"""This device's sync bookkeeping: center key, knowledge vector, peers and invitations.

Kept in the local tables ``device_state`` and ``sync_peer`` (they never travel):

- ``device_state.center_key``: base64 of the 256-bit center key, made by the first invite or export.
- ``sync_peer`` has one row per device of the center this device knows of:

  - *this device* (``device_id`` = our id): ``acked_watermark`` holds our knowledge vector (JSON
    ``{device: clock}``: everything of that device up to that clock is here), ``sent_watermark`` the
    clock of our latest export;
  - a *peer* we imported from (``last_seen`` set): ``acked_watermark`` is its knowledge vector as
    declared in its latest package — its acknowledgement of what it holds — and
    ``received_watermark`` that package's export clock;
  - an *invitation* not yet used (``last_seen`` NULL, ``sent_watermark`` = the clock of the snapshot
    the join package holds): stands for the device that will join, until it sends its first package
    or :data:`INVITE_VALID_DAYS` pass;
  - a device only heard of through others (``last_seen`` NULL, ``sent_watermark`` ""): a name only.

Exports carry what the recipients — peers and open invitations — have not acknowledged.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field

from app.store.queries import sync_state
from app.store.queries.sync_base import SyncConnection
from app.sync.package import new_center_key
from app.sync.vectors import Vector, dump_vector, join, parse_vector, thresholds, wall_ms_of

INVITE_VALID_DAYS = 7
_DAY_MS = 86_400_000


@dataclass
class Peer:
    """A device of the center as this one knows it."""

    device_id: str
    name: str
    acknowledged: Vector
    received: str
    last_seen: str | None
    invited_at: str

    @property
    def is_invitation(self) -> bool:
        return self.last_seen is None and bool(self.invited_at)

    @property
    def is_peer(self) -> bool:
        return self.last_seen is not None


@dataclass
class LocalState:
    """Everything sync needs to know about this database, read in one go."""

    device_id: str
    device_name: str
    center_id: str
    center_name: str
    center_code: str
    key: bytes | None
    knowledge: Vector
    last_export_clock: str
    joined_via: str
    peers: list[Peer] = field(default_factory=list)

    def names(self) -> dict[str, str]:
        """Return ``{device id: name}`` of every device known here, this one included."""
        names = {p.device_id: p.name for p in self.peers if p.name and not p.is_invitation}
        names[self.device_id] = self.device_name
        return names

    def recipients(self, *, now_ms: int | None = None) -> list[Vector]:
        """Return the acknowledgements of every device an export may be for: peers and open invitations."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        acks = []
        for peer in self.peers:
            if peer.is_peer or (
                peer.is_invitation and wall_ms_of(peer.invited_at) + INVITE_VALID_DAYS * _DAY_MS > now_ms
            ):
                acks.append(peer.acknowledged)
        return acks

    def since(self) -> Vector | None:
        """Return the per-device thresholds for an incremental export, or None when it must be full.

        Every device whose changes may be in this database gets an entry (devices nobody acknowledged get
        ""), so the lowest threshold is a safe lower bound for skipping rows by ``updated_at``.
        """
        minimum = thresholds(self.recipients())
        if minimum is None:
            return None
        devices = set(self.knowledge) | {self.device_id} | set(minimum)
        devices |= {p.device_id for p in self.peers if not p.is_invitation}
        return {device: minimum.get(device, "") for device in sorted(devices)}

    def knows(self, own_clock: str) -> Vector:
        """Return this database's knowledge vector with this device's own clock in it."""
        return join(self.knowledge, {self.device_id: own_clock})


def load_state(connection: SyncConnection) -> LocalState:
    """Read the device, the center and the sync bookkeeping."""
    device = sync_state.device_row(connection)
    device_id, device_name, key_text = device if device else ("", "", "")
    center = sync_state.center_row(connection)
    center_id, center_name, center_code = center if center else ("", "", "")
    state = LocalState(
        device_id=device_id,
        device_name=device_name or "",
        center_id=center_id,
        center_name=center_name,
        center_code=center_code,
        key=base64.b64decode(key_text) if key_text else None,
        knowledge={},
        last_export_clock="",
        joined_via="",
    )
    for peer_id, name, acked, sent, received, last_seen in sync_state.peer_rows(connection):
        if peer_id == device_id:
            state.knowledge = {d: c for d, c in parse_vector(acked).items() if d != device_id}
            state.last_export_clock = sent or ""
            continue
        state.peers.append(Peer(peer_id, name or "", parse_vector(acked), received or "", last_seen, sent or ""))
    state.joined_via = sync_state.last_join_package(connection)
    return state


def ensure_center_key(connection: SyncConnection, state: LocalState) -> bytes:
    """Return the center key, making and storing one if this device has none yet (its own transaction)."""
    if state.key is not None:
        return state.key
    key = new_center_key()
    with connection.writing():
        existing = sync_state.stored_center_key(connection, state.device_id)
        if existing:
            key = base64.b64decode(existing)
        else:
            sync_state.store_center_key(connection, state.device_id, key_text(key))
    state.key = key
    return key


def save_self(
    connection: SyncConnection, state: LocalState, *, knowledge: Vector | None = None, export_clock: str = ""
) -> None:
    """Write this device's own ``sync_peer`` row (inside the caller's transaction); ``state`` is not changed.

    Args:
        knowledge: the knowledge vector to store (``state.knowledge`` if None).
        export_clock: the clock of an export just written (the highest is kept).
    """
    vector = state.knowledge if knowledge is None else knowledge
    vector = {d: c for d, c in vector.items() if d != state.device_id}
    sync_state.save_own_peer(
        connection,
        device_id=state.device_id,
        name=state.device_name,
        sent_watermark=max(state.last_export_clock, export_clock),
        acked_watermark=dump_vector(vector),
    )


def record_peer(
    connection: SyncConnection,
    *,
    device_id: str,
    name: str,
    knowledge: Vector,
    export_clock: str,
) -> None:
    """Remember what a peer declared in a package (its knowledge is its acknowledgement), if it is its newest."""
    received = sync_state.received_watermark(connection, device_id)
    if received is None:
        sync_state.add_peer(
            connection,
            device_id=device_id,
            name=name,
            acked_watermark=dump_vector(knowledge),
            received_watermark=export_clock,
        )
    elif export_clock > received:
        sync_state.update_peer(
            connection,
            device_id=device_id,
            name=name or device_id[:8],
            acked_watermark=dump_vector(knowledge),
            received_watermark=export_clock,
        )
    else:
        sync_state.touch_peer(connection, device_id)


def remember_names(connection: SyncConnection, names: dict[str, str], *, own_id: str) -> None:
    """Add devices heard of through others, so conflicts and history can name them."""
    for device_id, name in names.items():
        if device_id == own_id or not isinstance(name, str):
            continue
        sync_state.remember_device_name(connection, device_id, name)


def key_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")
