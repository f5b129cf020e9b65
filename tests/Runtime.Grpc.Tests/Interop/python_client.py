#!/usr/bin/python3
"""Interop client for Runtime.Grpc tests, driving Debian's python3-grpcio (an independent gRPC
implementation) through its generic API with identity (bytes) serializers: the C# test encodes
requests and decodes responses, so no generated Python code is involved.

stdin:  JSON {"target": "127.0.0.1:1234", "kind": "unary" | "server_streaming" | "bidi",
              "method": "/pkg.Service/Method", "requests": ["<hex>", ...], "timeout": <seconds> | null,
              "authority": "<:authority to send instead of the target>" | null}
stdout: JSON {"code": <int>, "code_name": "OK", "details": "<status message>",
              "responses": ["<hex>", ...], "trailing_metadata": {"<key>": "<str, or hex for -bin keys>"}}

With a timeout, the client first waits (up to CONNECT_TIMEOUT seconds) for the channel to connect,
so the call's deadline measures the call itself and not process start-up plus the HTTP/2 handshake.
"""
import json
import sys

import grpc

CONNECT_TIMEOUT = 20


def main():
    spec = json.load(sys.stdin)
    requests = [bytes.fromhex(h) for h in spec["requests"]]
    timeout = spec.get("timeout")
    kind = spec["kind"]
    result = {"code": 0, "code_name": "OK", "details": "", "responses": [], "trailing_metadata": {}}
    metadata = None
    # An authority override addresses a service through a proxy (a sidecar's outbound port) by its name.
    options = [("grpc.default_authority", spec["authority"])] if spec.get("authority") else None
    with grpc.insecure_channel(spec["target"], options=options) as channel:
        if timeout is not None:
            grpc.channel_ready_future(channel).result(timeout=CONNECT_TIMEOUT)
        try:
            if kind == "unary":
                call = channel.unary_unary(spec["method"])
                response, state = call.with_call(requests[0], timeout=timeout)
                result["responses"].append(response.hex())
                metadata = state.trailing_metadata()
            elif kind == "server_streaming":
                stream = channel.unary_stream(spec["method"])(requests[0], timeout=timeout)
                for response in stream:
                    result["responses"].append(response.hex())
                metadata = stream.trailing_metadata()
            elif kind == "bidi":
                stream = channel.stream_stream(spec["method"])(iter(requests), timeout=timeout)
                for response in stream:
                    result["responses"].append(response.hex())
                metadata = stream.trailing_metadata()
            else:
                raise ValueError("unknown kind " + kind)
        except grpc.RpcError as error:
            result["code"] = error.code().value[0]
            result["code_name"] = error.code().name
            result["details"] = error.details() or ""
            metadata = error.trailing_metadata()
    result["trailing_metadata"] = {
        key: (value.hex() if isinstance(value, bytes) else value) for key, value in (metadata or ())
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
