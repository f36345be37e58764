#!/usr/bin/env python3
"""Writes the seed corpora of the fuzzers into tests/fuzz/corpus/<target>/.

The seeds are committed; this script documents how they were made and
rebuilds them after a change (it first empties each corpus folder). Each
seed is small and means one thing: a valid input of every kind, or one
violation of one rule. Usage: tests/fuzz/make_seeds.py
"""
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent

# ---------------------------------------------------------------- frames --
# frame_decoder input: one flags byte, then the wire bytes.
SERVER, CLIENT = 0, 1
MAX_125, MAX_1000, MAX_64K, MAX_1M = 0 << 1, 1 << 1, 2 << 1, 3 << 1
AT_ONCE, BY_1, BY_3 = 0 << 3, 1 << 3, 3 << 3

TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length_form=None):
    """One frame; masked with a fixed key unless mask is False."""
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    form = length_form or ("7" if n < 126 else "16" if n < 65536 else "64")
    mask_bit = 0x80 if mask else 0
    if form == "7":
        head = bytes([b0, mask_bit | n])
    elif form == "16":
        head = bytes([b0, mask_bit | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, mask_bit | 127]) + struct.pack(">Q", n)
    if not mask:
        return head + payload
    key = b"\x37\xfa\x21\x3d"
    return head + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack(">H", code) + reason


def frame_seeds():
    c = lambda *a, **k: frame(*a, **k)  # client->server (masked)
    s = lambda *a, **k: frame(*a, mask=False, **k)  # server->client
    seeds = {
        # valid traffic, server role
        "text_hello": (SERVER | MAX_1000, c(TEXT, b"hello")),
        "text_empty": (SERVER | MAX_125, c(TEXT)),
        "text_utf8": (SERVER | MAX_1000, c(TEXT, "h\u00e9 \u20ac \U0001F600".encode())),
        "text_byte_by_byte": (SERVER | MAX_1000 | BY_1, c(TEXT, b"one") + c(TEXT, b"two")),
        "binary": (SERVER | MAX_1000, c(BINARY, bytes(range(256))[:200])),
        "ping_pong": (SERVER | MAX_125, c(PING, b"p") + c(PONG, b"q")),
        "ping_125": (SERVER | MAX_125, c(PING, b"x" * 125)),
        "close_normal": (SERVER | MAX_125, c(CLOSE, close_payload(1000, b"bye"))),
        "close_empty": (SERVER | MAX_125, c(CLOSE)),
        "close_4999": (SERVER | MAX_125, c(CLOSE, close_payload(4999, "\u00e9".encode()))),
        "fragmented": (SERVER | MAX_1000, c(TEXT, b"he", fin=False) + c(CONT, b"ll", fin=False) + c(CONT, b"o")),
        "fragmented_ping_between": (SERVER | MAX_1000 | BY_3,
                                    c(TEXT, b"a", fin=False) + c(PING, b"!") + c(CONT, b"b")),
        "fragmented_split_code_point": (SERVER | MAX_1000,
                                        c(TEXT, b"\xe2\x82", fin=False) + c(CONT, b"\xac")),
        "fragmented_binary": (SERVER | MAX_1000, c(BINARY, b"\xff", fin=False) + c(CONT, b"\x00")),
        "length_16bit": (SERVER | MAX_1000, c(TEXT, b"a" * 300)),
        "length_64bit_form": (SERVER | MAX_1000, c(BINARY, b"z" * 10, length_form="64")),
        "at_limit_125": (SERVER | MAX_125, c(TEXT, b"m" * 125)),
        "two_messages_1m": (SERVER | MAX_1M, c(TEXT, b"x" * 2000) + c(BINARY, b"y" * 70)),
        "partial_header": (SERVER | MAX_1000, c(TEXT, b"abc")[:3]),
        "partial_payload": (SERVER | MAX_1000, c(TEXT, b"abcdef")[:8]),
        # valid traffic, client role (unmasked server frames)
        "client_text": (CLIENT | MAX_1000, s(TEXT, b"hi")),
        "client_binary_close": (CLIENT | MAX_1000, s(BINARY, b"\x00\x01") + s(CLOSE, close_payload(1001))),
        "client_fragmented": (CLIENT | MAX_64K, s(TEXT, b"x", fin=False) + s(CONT, b"y")),
        # every violation (1002 protocol error)
        "unmasked_client_frame": (SERVER | MAX_1000, s(TEXT, b"hi")),
        "masked_server_frame": (CLIENT | MAX_1000, c(TEXT, b"hi")),
        "rsv1_set": (SERVER | MAX_1000, c(TEXT, b"hi", rsv=4)),
        "rsv3_set": (SERVER | MAX_1000, c(BINARY, b"hi", rsv=1)),
        "opcode_3": (SERVER | MAX_1000, c(3, b"x")),
        "opcode_b": (SERVER | MAX_1000, c(0xB, b"x")),
        "fragmented_ping": (SERVER | MAX_1000, c(PING, b"x", fin=False)),
        "ping_126": (SERVER | MAX_1000, c(PING, b"x" * 126)),
        "continuation_first": (SERVER | MAX_1000, c(CONT, b"x")),
        "text_inside_fragmented": (SERVER | MAX_1000, c(TEXT, b"a", fin=False) + c(TEXT, b"b")),
        "length_high_bit": (SERVER | MAX_1M, bytes([0x81, 0xFF]) + b"\x80" + b"\x00" * 7 + b"\x00" * 4),
        "close_1_byte": (SERVER | MAX_125, c(CLOSE, b"\x03")),
        "close_1005": (SERVER | MAX_125, c(CLOSE, close_payload(1005))),
        "close_999": (SERVER | MAX_125, c(CLOSE, close_payload(999))),
        "close_5000": (SERVER | MAX_125, c(CLOSE, close_payload(5000))),
        # 1009 too big
        "too_big": (SERVER | MAX_125, c(TEXT, b"m" * 126)),
        "too_big_fragments": (SERVER | MAX_125, c(TEXT, b"m" * 100, fin=False) + c(CONT, b"m" * 26)),
        "too_big_64bit": (SERVER | MAX_64K, bytes([0x82, 0xFF]) + struct.pack(">Q", 1 << 40) + b"\x00" * 4),
        # 1007 invalid UTF-8
        "utf8_overlong": (SERVER | MAX_1000, c(TEXT, b"\xc0\xaf")),
        "utf8_overlong_3": (SERVER | MAX_1000, c(TEXT, b"\xe0\x80\xaf")),
        "utf8_surrogate": (SERVER | MAX_1000, c(TEXT, b"\xed\xa0\x80")),
        "utf8_above_10ffff": (SERVER | MAX_1000, c(TEXT, b"\xf4\x90\x80\x80")),
        "utf8_f5": (SERVER | MAX_1000, c(TEXT, b"\xf5")),
        "utf8_stray_continuation": (SERVER | MAX_1000, c(TEXT, b"a\x80")),
        "utf8_truncated": (SERVER | MAX_1000, c(TEXT, b"\xe2\x82")),
        "utf8_truncated_fragments": (SERVER | MAX_1000, c(TEXT, b"a", fin=False) + c(CONT, b"\xf0\x9f")),
        "utf8_bad_fragment_early": (SERVER | MAX_1000, c(TEXT, b"\xff", fin=False)),
        "close_reason_bad_utf8": (SERVER | MAX_125, c(CLOSE, close_payload(1000, b"\xc3"))),
        "binary_any_bytes_ok": (SERVER | MAX_1000, c(BINARY, b"\xc0\xaf\xff")),
    }
    return {name: bytes([flags]) + wire for name, (flags, wire) in seeds.items()}


# -------------------------------------------------------------- requests --
REQUESTS = {
    "join_empty": '{"type":"join"}',
    "join_full": '{"type":"join","room":"lobby","nick":"ann","since":{"epoch":"e1","seq":3},"id":"j1"}',
    "join_nulls": '{"type":"join","room":null,"nick":null,"since":null,"id":null}',
    "join_room_hash": '{"type":"join","room":"#dev.team-1_x"}',
    "join_bad_room": '{"type":"join","room":"no spaces"}',
    "join_room_too_long": '{"type":"join","room":"' + "r" * 65 + '"}',
    "join_bad_nick": '{"type":"join","nick":"\u00e9"}',
    "join_since_not_object": '{"type":"join","since":[1]}',
    "join_since_seq_float": '{"type":"join","since":{"epoch":"e","seq":1.0}}',
    "join_since_seq_negative": '{"type":"join","since":{"epoch":"e","seq":-1}}',
    "join_since_seq_2p53": '{"type":"join","since":{"epoch":"e","seq":9007199254740992}}',
    "join_since_seq_2p53_plus1": '{"type":"join","since":{"epoch":"e","seq":9007199254740993}}',
    "join_since_no_epoch": '{"type":"join","since":{"seq":1}}',
    "join_type_error_first": '{"type":"join","room":"bad room","since":{"epoch":1,"seq":1}}',
    "message": '{"type":"message","text":"hello","id":"m1"}',
    "message_unicode": '{"type":"message","text":"h\\u00e9 \\ud83d\\ude00 \u20ac \u2028"}',
    "message_escapes": '{"type":"message","text":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000"}',
    "message_empty_text": '{"type":"message","text":""}',
    "message_text_number": '{"type":"message","text":5}',
    "message_no_text": '{"type":"message"}',
    "message_unknown_fields": '{"type":"message","text":"x","extra":{"a":[1,2,{"b":null}]},"flag":true}',
    "nick": '{"type":"nick","nick":"bob_2.x-y"}',
    "nick_too_long": '{"type":"nick","nick":"' + "n" * 33 + '"}',
    "nick_missing": '{"type":"nick"}',
    "unknown_type": '{"type":"dance","id":"d"}',
    "unknown_type_long": '{"type":"' + "\u00e9" * 40 + '"}',
    "type_not_string": '{"type":1}',
    "no_type": '{"text":"x"}',
    "id_too_long": '{"type":"join","id":"' + "i" * 65 + '"}',
    "id_64_code_points": '{"type":"join","id":"' + "\u00e9" * 64 + '"}',
    "id_number": '{"type":"join","id":7}',
    "not_object_array": '[{"type":"join"}]',
    "not_object_string": '"join"',
    "not_object_number": "-0.5e-3",
    "literals": "[true,false,null]",
    "whitespace": ' \t\r\n{ "type" : "join" } \n',
    "duplicate_key": '{"type":"join","type":"nick"}',
    "trailing_comma": '{"type":"join",}',
    "trailing_garbage": '{"type":"join"} x',
    "leading_zero": '{"type":"join","since":{"epoch":"e","seq":01}}',
    "plus_sign": "+1",
    "big_exponent": "1e400",
    "tiny_number": "1e-400",
    "many_digits": "1" * 400,
    "nan": "NaN",
    "comment": '{"type":"join"} // hi',
    "bom": '\ufeff{"type":"join"}',
    "single_quotes": "{'type':'join'}",
    "lone_high_surrogate": '{"type":"message","text":"\\ud83d"}',
    "lone_low_surrogate": '{"type":"message","text":"\\ude00"}',
    "bad_escape": '{"type":"message","text":"\\x41"}',
    "raw_control_char": '{"type":"message","text":"a\tb"}',
    "unterminated_string": '{"type":"message","text":"abc',
    "truncated_unicode_escape": '"\\u12',
    "depth_32": "[" * 32 + "]" * 32,
    "depth_33": "[" * 33 + "]" * 33,
    "depth_deep_objects": '{"a":' * 40 + "1" + "}" * 40,
    "empty": "",
    "invalid_utf8_bytes": None,  # written below as raw bytes
}


def request_seeds():
    seeds = {name: text.encode() for name, text in REQUESTS.items() if text is not None}
    seeds["invalid_utf8_bytes"] = b'{"type":"message","text":"\xc0\xaf\xff"}'
    return seeds


# ---------------------------------------------------------------- config --
CONFIGS = {
    "minimal": "listen: {port: 8080}\n",
    "all_sections": """listen:
  address: 127.0.0.1
  port: 0
public_dir: ./public
http: {threads: 2, request_timeout: 500ms, max_queued: 10}
websocket:
  path: /chat
  allowed_origins: ["https://Chat.Example.org", "http://[::1]:8080", "*"]
  max_message_bytes: 1MB
  ping_interval: 1m
  ping_timeout: 1s
limits: {max_connections: 1, send_queue_bytes: 4 KiB}
threads: {io: 256, hub: 64}
log: {level: trace}
chat: {default_room: "#general", history_size: 0, max_text_bytes: 1}
plugin_dir: /tmp/plugins
plugins:
  - name: logging
    path: liblogging.so
    on_error: drop
    config: {file: t.jsonl, nested: [1, {a: b}]}
""",
    "empty": "",
    "only_comment": "# nothing here\n",
    "top_level_list": "- a\n- b\n",
    "top_level_scalar": "port\n",
    "two_documents": "log: {level: info}\n---\nlog: {level: warn}\n",
    "lone_comma": ",",
    "syntax_error_indent": "listen:\n  port: 1\n address: x\n",
    "syntax_error_flow": "listen: {port: 1\n",
    "tab_indent": "listen:\n\tport: 1\n",
    "unknown_key_typo": "listen: {prot: 1}\nwebsockets: {}\n",
    "duplicate_key": "log: {level: info}\nlog: {level: warn}\n",
    "non_scalar_key": "? [a, b]\n: 1\n",
    "wrong_types": "listen: [1]\nhttp: 5\nwebsocket: {allowed_origins: x}\nplugins: {a: 1}\n",
    "out_of_range": "listen: {port: 65536}\nhttp: {threads: 0, max_queued: 100001}\nthreads: {io: -1, hub: 65}\n",
    "huge_integer": "listen: {port: 99999999999999999999999}\nlimits: {max_connections: 9223372036854775807}\n",
    "bad_units": "websocket: {max_message_bytes: 64kb, ping_interval: 10, ping_timeout: 10 s}\n"
                 "http: {request_timeout: 9223372036854775807h}\n",
    "size_overflow": "limits: {send_queue_bytes: 9223372036854775807GiB}\n",
    "max_text_over_message": "websocket: {max_message_bytes: 125}\nchat: {max_text_bytes: 126}\n",
    "max_text_with_bad_message": "websocket: {max_message_bytes: x}\nchat: {max_text_bytes: 1KiB}\n",
    "bad_origins": 'websocket: {allowed_origins: ["ftp://x", "https://", "https://a/", "http://a:0", '
                   '"http://[::1", "http://a b", "https://h:-1", "http://[zz]:1"]}\n',
    "bad_path": 'websocket: {path: "ws"}\n',
    "path_with_query": 'websocket: {path: "/ws?x"}\n',
    "bad_level_typo": "log: {level: warnn}\n",
    "bad_room": 'chat: {default_room: "a b"}\n',
    "empty_values": "listen:\npublic_dir:\nplugins:\nlog: {level: }\n",
    "plugins_errors": """plugins:
  - name: a
  - name: a
  - path: x.so
  - name: "bad name"
  - name: b
    on_error: retry
  - just a string
  -
""",
    "anchors_aliases": "base: &b {level: info}\nlog: *b\nplugins:\n  - name: x\n    config: &c [1, *c]\n",
    "undefined_alias": "log: *nope\n",
    "tags": "listen: {port: !!str 80, address: !custom x}\n",
    "flow_everything": "{listen: {port: 1}, plugins: [{name: a, config: {}}]}\n",
    "deep_nesting": "plugins:\n  - name: a\n    config: " + "[" * 60 + "]" * 60 + "\n",
    "multiline_strings": "public_dir: |\n  /a\n  /b\nplugin_dir: >\n  folded\n  text\n",
    "crlf": "listen:\r\n  port: 1\r\n",
    "nul_byte": "listen: {port: 1}\x00\n",
    "bom": "\ufefflisten: {port: 1}\n",
}


def config_seeds():
    seeds = {name: text.encode() for name, text in CONFIGS.items()}
    seeds["etc_chatd_yaml"] = (REPO / "etc" / "chatd.yaml").read_bytes()
    return seeds


# ----------------------------------------------------------------- paths --
PATHS = [
    ("root", b"/"), ("index", b"/index.html"), ("style", b"/style.css"), ("sub_slash", b"/sub/"),
    ("sub_no_slash", b"/sub"), ("sub_page", b"/sub/page.html"), ("space", b"/a%20b.txt"),
    ("double_slash_dot", b"//sub//./index.html"), ("query", b"/style.css?x=/../etc/passwd"),
    ("fragment", b"/index.html#top"), ("dotdot", b"/../etc/passwd"), ("dotdot_encoded", b"/%2e%2e/x"),
    ("dotdot_upper", b"/%2E%2E/x"), ("dotdot_mixed", b"/.%2e/x"), ("dotdot_end", b"/sub/.."),
    ("dotdot_behind_dotfile", b"/.env/../index.html"), ("nul_encoded", b"/a%00b"), ("nul_raw", b"/a\x00b"),
    ("slash_encoded", b"/a%2fb"), ("backslash_encoded", b"/a%5cb"), ("backslash_raw", b"/..\\etc\\passwd"),
    ("overlong_dot", b"/%c0%ae%c0%ae/index.html"), ("overlong_slash", b"/%c0%afetc"),
    ("overlong_3byte", b"/%e0%80%ae%e0%80%ae/"), ("raw_overlong", b"/\xc0\xae\xc0\xae/x"),
    ("percent_alone", b"/%"), ("percent_short", b"/%4"), ("percent_bad_hex", b"/%zz"),
    ("percent_percent", b"/%%41"), ("double_encoded", b"/a%2520b.txt"), ("dotfile", b"/.env"),
    ("dotfile_encoded", b"/%2eenv"), ("hidden_dir", b"/.hidden/x.txt"), ("link_out", b"/link_out.txt"),
    ("linkdir_out", b"/linkdir_out/file.txt"), ("link_in", b"/link_in.css"), ("link_in_dir", b"/link_in_dir/"),
    ("link_to_dotfile", b"/link_to_dotfile"), ("evil_prefix_sibling", b"/evil.txt"),
    ("evil_dir", b"/evil_dir/x.txt"), ("trap_index", b"/trap/"), ("fifo", b"/fifo"),
    ("empty_dir", b"/emptydir/"), ("file_as_dir", b"/index.html/"), ("no_slash", b"index.html"),
    ("asterisk", b"*"), ("absolute_uri", b"http://localhost/index.html"), ("empty", b""),
    ("too_long", b"/" + b"a" * 1024), ("at_limit", b"/" + b"a" * 1023),
]


def path_seeds():
    return dict(PATHS)


def write(target, seeds):
    folder = HERE / "corpus" / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in sorted(seeds.items()):
        (folder / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    write("frame_decoder", frame_seeds())
    write("request_decoder", request_seeds())
    write("config_loader", config_seeds())
    write("path_resolver", path_seeds())
