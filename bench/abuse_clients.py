"""Hostile HTTP clients for bench/http-abuse: slow headers, early disconnects, malformed
requests, all at once until the time is up. Prints what each kind saw."""
import asyncio, random, sys, time
from urllib.parse import urlparse

async def slow_client(host, port, until, stats):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        stats["slow connect failed"] += 1
        return
    stats["slow opened"] += 1
    request = b"GET /search?q=konto HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    try:
        for byte in request:
            if time.monotonic() > until:
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1)
        else:
            return
    except (ConnectionError, OSError):
        stats["slow cut off by the server"] += 1
    writer.close()

async def early_disconnect(host, port, until, stats):
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"GET /articles/sv-SE/how-to-close-your-account HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            await reader.read(10)
            writer.transport.abort()
            stats["disconnected mid-response"] += 1
        except (ConnectionError, OSError):
            stats["disconnect errors"] += 1
        await asyncio.sleep(0.01)

MALFORMED = [
    b"NONSENSE\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"GET /search?q=konto HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    b"POST /search HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    b"GET /search?q=%ff%fe%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /articles/sv-SE/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /health HTTP/1.1\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n",
]

async def malformed(host, port, until, stats):
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(random.choice(MALFORMED))
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(12), 5)
            stats["malformed answered " + (answer[9:12].decode(errors="replace") or "closed")] += 1
            writer.close()
        except (ConnectionError, OSError, asyncio.TimeoutError):
            stats["malformed: connection reset"] += 1
        await asyncio.sleep(0.01)

async def main(base, seconds):
    from collections import Counter
    url = urlparse(base)
    until = time.monotonic() + seconds
    stats = Counter()
    tasks = [slow_client(url.hostname, url.port, until, stats) for _ in range(300)]
    tasks += [early_disconnect(url.hostname, url.port, until, stats) for _ in range(20)]
    tasks += [malformed(url.hostname, url.port, until, stats) for _ in range(20)]
    await asyncio.gather(*tasks)
    for k, v in sorted(stats.items()):
        print(f"hostile: {k}: {v}")

asyncio.run(main(sys.argv[1], float(sys.argv[2])))
