// IKE_SA_INIT flooder for tests/interop/harness/ike-flood.sh (issue 12 "Floods"), the fast one: the
// same spoofed RFC 7296 §1.2 requests as ike-flood.py (SA: AES-CBC-128/HMAC-SHA2-256/PRF-HMAC-SHA2-256/
// X25519, KE, Ni; random sources of a documentation prefix, random ports, SPIs and nonces) through a
// raw IP_HDRINCL socket from one thread, so the rate is what one core sends, not what Python's
// interpreter does. Answers arrive on a raw UDP socket (the prefix is routed back as local) and are
// counted by kind: COOKIE (§2.6), a full IKE_SA_INIT response (state created), other.
//   dotnet run IkeFlood.cs -- TARGET_IP SOURCE_PREFIX(a.b.c.0/NN) RATE|max SECONDS
// Prints the key=value lines ike-flood.py prints. A .NET 10 file-based program: no project file.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

if (args.Length != 4 || !IPAddress.TryParse(args[0], out var target) || args[1].Split('/') is not [var net, var bitsText]
    || !IPAddress.TryParse(net, out var prefix) || !int.TryParse(bitsText, out var bits) || bits is < 16 or > 30
    || !(args[2] == "max" || long.TryParse(args[2], out _)) || !double.TryParse(args[3], System.Globalization.CultureInfo.InvariantCulture, out var seconds))
{
    Console.Error.WriteLine("usage: IkeFlood.cs TARGET_IP SOURCE_PREFIX(a.b.c.0/NN, 16-30) RATE|max SECONDS");
    return 2;
}
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

long cookie = 0, full = 0, other = 0;
using var stop = new CancellationTokenSource();
var receiver = new Thread(() =>
{
    using var r = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp) { ReceiveTimeout = 500 };
    var buffer = new byte[4096];
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
        if (n < ihl + 8 + 28 || BinaryPrimitives.ReadUInt16BigEndian(pkt[ihl..]) != 500)
            continue;
        var dst = BinaryPrimitives.ReadUInt32BigEndian(pkt[16..]);
        if (dst < first || dst >= first + hosts)
            continue;   // the legitimate clients' answers
        var h = pkt[(ihl + 8)..];
        if (h[18] != 34 || (h[19] & 0x20) == 0)
            continue;
        if (h[16] == 41 && h.Length >= 36 && BinaryPrimitives.ReadUInt16BigEndian(h[34..]) == 16390)
            Interlocked.Increment(ref cookie);
        else if (h[16] == 33)
            Interlocked.Increment(ref full);
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
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], first + (uint)rng.NextInt64(hosts));
        BinaryPrimitives.WriteUInt16BigEndian(p[20..], (ushort)(1024 + rng.Next(32768)));
        BinaryPrimitives.WriteUInt64BigEndian(ike, (ulong)rng.NextInt64() | 1);
        BinaryPrimitives.WriteUInt64BigEndian(ike[nonceAt..], (ulong)rng.NextInt64());
        try
        {
            s.SendTo(p, SocketFlags.None, to);
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
return 0;
