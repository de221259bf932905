// RFC 7296 §3.15 Configuration Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C| RESERVED    |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   CFG Type    |                    RESERVED                   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Configuration Attributes                    ~
namespace PostureGate.Ike.Messages.Payloads;

/// <summary>RFC 7296 §3.15 "CFG Type".</summary>
public enum ConfigType : byte
{
    Request = 1,
    Reply = 2,
    Set = 3,
    Ack = 4,
}

public sealed class ConfigPayload : IkePayload
{
    public ConfigPayload(ConfigType configType, IReadOnlyList<ConfigAttribute> attributes)
    {
        ConfigType = configType;
        Attributes = attributes;
    }

    public ConfigType ConfigType { get; }
    public IReadOnlyList<ConfigAttribute> Attributes { get; }

    public override PayloadType Type => PayloadType.Configuration;
    public override int BodyLength => 4 + Attributes.Sum(a => a.EncodedLength);

    public IEnumerable<ConfigAttribute> AttributesOf(ConfigAttributeType type) => Attributes.Where(a => a.AttributeType == type);

    public static bool TryParse(ReadOnlySpan<byte> body, out ConfigPayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("CP: too short", out payload, out error);
        var attributes = new List<ConfigAttribute>();
        var rest = body[4..];
        while (!rest.IsEmpty)
        {
            if (!ConfigAttribute.TryRead(rest, out var attribute, out var used))
                return Fail("CP: attribute beyond payload", out payload, out error);
            attributes.Add(attribute);
            rest = rest[used..];
        }
        payload = new ConfigPayload((ConfigType)body[0], attributes);
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)ConfigType;
        destination.Slice(1, 3).Clear();
        var offset = 4;
        foreach (var a in Attributes)
            offset += a.Write(destination[offset..]);
    }

    public override bool Verify(out IkeError error)
    {
        if (!Enum.IsDefined(ConfigType))
        {
            error = IkeError.Syntax($"CP: CFG type {(byte)ConfigType}");
            return false;
        }
        foreach (var a in Attributes)
        {
            if (!a.Verify(out var reason))
            {
                error = IkeError.Syntax("CP: " + reason);
                return false;
            }
        }
        error = default;
        return true;
    }

    public override string Summary => ConfigType switch
    {
        ConfigType.Request => "CPRQ",
        ConfigType.Reply => "CPRP",
        ConfigType.Set => "CPS",
        _ => "CPA",
    };

    public override string ToString() => $"{Summary}({string.Join(' ', Attributes)})";
}
