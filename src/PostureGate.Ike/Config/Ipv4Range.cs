// An inclusive IPv4 range, as FortiOS `ipv4-start-ip` / `ipv4-end-ip` of a mode-cfg pool.
using System.Net;

namespace PostureGate.Ike.Config;

public readonly record struct Ipv4Range
{
    public uint First { get; }
    public uint Last { get; }

    public Ipv4Range(uint first, uint last)
    {
        if (last < first)
            throw new ArgumentException("range end before start");
        First = first;
        Last = last;
    }

    public Ipv4Range(IPAddress first, IPAddress last) : this(Ipv4.ToUInt32(first), Ipv4.ToUInt32(last)) { }

    public static Ipv4Range Parse(string first, string last) => new(IPAddress.Parse(first), IPAddress.Parse(last));

    public long Count => (long)Last - First + 1;

    public bool Contains(uint address) => address >= First && address <= Last;

    public override string ToString() => $"{Ipv4.ToAddress(First)}-{Ipv4.ToAddress(Last)}";
}
