// RFC 7296 §2.19 / §3.15 configuration payload (charon's ike_config task). Responder: lease
// INTERNAL_IP4_ADDRESS from the pool, add netmask, DNS and one INTERNAL_IP4_SUBNET per split
// network. Initiator: CFG_REQUEST for address and DNS, read the reply.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeConfig
{
    /// <summary>The reply attributes, or null with <paramref name="addressFailure"/> when the pool is exhausted (§3.15.4).</summary>
    public static ConfigPayload? BuildReply(IkeTaskContext m, IkeSa sa, ConfigPayload? request, out bool addressFailure)
    {
        addressFailure = false;
        var cfg = sa.Config;
        if (request is not { ConfigType: ConfigType.Request } || cfg.AddressPool is null)
            return null;
        var attributes = new List<ConfigAttribute>();
        if (RequestsAddress(request))
        {
            var address = cfg.AddressPool.Lease(sa.Instance!);
            if (address is null)
            {
                m.Debug.Sa(sa.LogName, sa.Serial, "mode-cfg address pool exhausted");
                addressFailure = true;
                return null;
            }
            sa.VirtualIpAssigned(address);
            m.Debug.Sa(sa.LogName, sa.Serial, $"assigned IPv4 address {address}");
            attributes.Add(ConfigAttribute.Address(ConfigAttributeType.InternalIp4Address, address));
            if (cfg.Netmask is not null)
                attributes.Add(ConfigAttribute.Address(ConfigAttributeType.InternalIp4Netmask, cfg.Netmask));
        }
        foreach (var dns in cfg.DnsServers)
            attributes.Add(ConfigAttribute.Address(ConfigAttributeType.InternalIp4Dns, dns));
        foreach (var net in cfg.SplitInclude)
            attributes.Add(ConfigAttribute.Ip4Subnet(net.NetworkAddress, net.MaskAddress));
        return new ConfigPayload(ConfigType.Reply, attributes);
    }

    /// <summary>The gateway leases inner addresses (mode-cfg with a pool): every CHILD_SA's TSi is that address.</summary>
    public static bool AddressRequired(IkeSa sa) => !sa.IsInitiator && sa.Config.AddressPool is not null;

    /// <summary>§3.15.1: a CFG_REQUEST asking for INTERNAL_IP4_ADDRESS (strongSwan sends it empty or as 0.0.0.0).</summary>
    public static bool RequestsAddress(ConfigPayload? request) =>
        request is { ConfigType: ConfigType.Request } && request.AttributesOf(ConfigAttributeType.InternalIp4Address).Any();

    public static ConfigPayload BuildRequest(bool address, bool dns)
    {
        var attributes = new List<ConfigAttribute>();
        if (address)
            attributes.Add(ConfigAttribute.Request(ConfigAttributeType.InternalIp4Address));
        if (dns)
            attributes.Add(ConfigAttribute.Request(ConfigAttributeType.InternalIp4Dns));
        return new ConfigPayload(ConfigType.Request, attributes);
    }

    /// <summary>What a CFG_REPLY gave the initiator.</summary>
    public static (IPAddress? Address, IPAddress? Netmask, List<IPAddress> Dns, List<Ipv4Subnet> Subnets) ReadReply(ConfigPayload? reply)
    {
        var dns = new List<IPAddress>();
        var subnets = new List<Ipv4Subnet>();
        IPAddress? address = null, netmask = null;
        if (reply is not { ConfigType: ConfigType.Reply })
            return (null, null, dns, subnets);
        foreach (var a in reply.Attributes)
        {
            switch (a.AttributeType)
            {
                case ConfigAttributeType.InternalIp4Address when a.Value.Length == 4:
                    address = new IPAddress(a.Value);
                    break;
                case ConfigAttributeType.InternalIp4Netmask when a.Value.Length == 4:
                    netmask = new IPAddress(a.Value);
                    break;
                case ConfigAttributeType.InternalIp4Dns when a.Value.Length == 4:
                    dns.Add(new IPAddress(a.Value));
                    break;
                // §3.15.1: INTERNAL_IP4_SUBNET is address | netmask (8 octets).
                case ConfigAttributeType.InternalIp4Subnet when a.Value.Length == 8:
                    var net = Ipv4.ToUInt32(new IPAddress(a.Value.AsSpan(0, 4)));
                    var mask = Ipv4.ToUInt32(new IPAddress(a.Value.AsSpan(4, 4)));
                    subnets.Add(new Ipv4Subnet(net, System.Numerics.BitOperations.PopCount(mask)));
                    break;
            }
        }
        return (address, netmask, dns, subnets);
    }
}
