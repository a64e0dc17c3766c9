"""The amqp path of the platform stand-in: connector queues on a real RabbitMQ, and a consumer.

At registration OpenCTI declares the connector's exchanges and queues
(``database/rabbitmq.js``: ``registerConnectorQueues``) and hands the broker's address and
credentials out in ``registerConnector.config.connection``. pycti then publishes each part
of a bundle to ``push_exchange`` with ``push_routing``, and the platform's worker consumes
the ``push_<id>`` queue. ``BrokerQueues`` does the platform's half; its consumer thread is
the worker's: it decodes each message, ingests it through ``Worker.ingest_now`` (same rules
and faults as the ``api`` path) and acknowledges it. When the broker goes away the
consumer waits and reconnects, as OpenCTI's worker does.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import pika
import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel
from pika.spec import Basic, BasicProperties

from connector_sandbox.background import BackgroundLoop
from connector_sandbox.broker import RabbitBroker
from connector_sandbox.platform_store import PlatformStore
from connector_sandbox.platform_worker import Part, Worker, decode_message

logger = logging.getLogger(__name__)
# pika logs every failed connection attempt at ERROR; while the broker is down the consumer
# tries twice a second and says so once per attempt itself, at INFO.
logging.getLogger("pika").setLevel(logging.CRITICAL)

CONNECTOR_EXCHANGE = "amqp.connector.exchange"
WORKER_EXCHANGE = "amqp.worker.exchange"
RECONNECT_SECONDS = 0.5
POLL_SECONDS = 0.1


def push_queue(connector_id: str) -> str:
    return f"push_{connector_id}"


def push_routing(connector_id: str) -> str:
    return f"push_routing_{connector_id}"


def listen_queue(connector_id: str) -> str:
    return f"listen_{connector_id}"


def listen_routing(connector_id: str) -> str:
    return f"listen_routing_{connector_id}"


def _declare_queues(channel: BlockingChannel, connector_id: str) -> None:
    # As registerConnectorQueues: two direct exchanges, a listen and a push queue bound.
    for exchange in (CONNECTOR_EXCHANGE, WORKER_EXCHANGE):
        channel.exchange_declare(exchange, "direct", durable=True)
    channel.queue_declare(listen_queue(connector_id), durable=True)
    channel.queue_bind(
        listen_queue(connector_id), CONNECTOR_EXCHANGE, listen_routing(connector_id)
    )
    channel.queue_declare(push_queue(connector_id), durable=True)
    channel.queue_bind(
        push_queue(connector_id), WORKER_EXCHANGE, push_routing(connector_id)
    )


class BrokerQueues:
    """Declares connectors' queues on the broker and consumes their push queues."""

    def __init__(
        self, broker: RabbitBroker, store: PlatformStore, worker: Worker
    ) -> None:
        self._broker = broker
        self._store = store
        self._worker = worker
        self._lock = threading.Lock()
        self._connectors: set[str] = set()
        self._loop = BackgroundLoop(self._consume, "opencti-worker-amqp")
        self._stopping = self._loop.stopping
        self.start = self._loop.start
        self.stop = self._loop.stop

    def connection(self) -> dict[str, Any]:
        """What ``registerConnector`` answers in ``config.connection``."""
        return {
            "host": "127.0.0.1",
            "vhost": "/",
            "use_ssl": False,
            "port": self._broker.port,
            "user": self._broker.user,
            "pass": self._broker.password,
        }

    def declare(self, connector_id: str) -> None:
        """Make the connector's exchanges, queues and bindings; then consume its push queue.

        A broker that is down makes registration fail, as on the platform.
        """
        connection = pika.BlockingConnection(self._broker.parameters())
        try:
            _declare_queues(connection.channel(), connector_id)
        finally:
            connection.close()
        with self._lock:
            self._connectors.add(connector_id)

    def _consume(self) -> None:
        while not self._stopping.is_set():
            try:
                self._consume_until_dropped()
            except pika.exceptions.AMQPError as err:
                # The broker is down or restarting: wait, then connect again.
                logger.info("Worker stand-in lost RabbitMQ (%s); reconnecting", err)
                self._stopping.wait(RECONNECT_SECONDS)

    def _consume_until_dropped(self) -> None:
        connection = pika.BlockingConnection(self._broker.parameters())
        try:
            self._serve(connection)
        finally:
            if connection.is_open:
                connection.close()

    def _serve(self, connection: pika.BlockingConnection) -> None:
        channel = connection.channel()
        channel.basic_qos(prefetch_count=1)
        consuming: set[str] = set()
        while not self._stopping.is_set():
            with self._lock:
                new = self._connectors - consuming
            # Queues of connectors registered since the last turn: consume them too.
            for connector_id in sorted(new):
                channel.basic_consume(
                    push_queue(connector_id), self._on_message(connector_id)
                )
                consuming.add(connector_id)
            connection.process_data_events(time_limit=POLL_SECONDS)

    def _on_message(self, connector_id: str) -> Any:
        def on_message(
            channel: BlockingChannel,
            method: Basic.Deliver,
            properties: BasicProperties,
            body: bytes,
        ) -> None:
            try:
                message = decode_message(body)
            except ValueError as err:
                # What the worker can't read it drops, saying why: a redelivery would fail alike.
                logger.warning(
                    "Worker stand-in dropped a message of %s: %s", connector_id, err
                )
                channel.basic_nack(method.delivery_tag, requeue=False)
                return
            work_id, objects = message.work_id, message.objects
            self._store.record_published(
                connector_id, work_id, objects, first_part=message.sequence == 1
            )
            self._worker.ingest_now(Part(work_id, tuple(objects)))
            channel.basic_ack(method.delivery_tag)

        return on_message
