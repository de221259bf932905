// The common shape of every payload: a type, a body codec and the semantic
// checks of its RFC section (strongSwan's payload_t with verify()). Each
// concrete payload has a static TryParse(ReadOnlySpan<byte> body, …) that
// reads only the octets after the generic header.
namespace PostureGate.Ike.Messages;

public abstract class IkePayload
{
    public abstract PayloadType Type { get; }

    /// <summary>Octets after the generic payload header.</summary>
    public abstract int BodyLength { get; }

    /// <summary>Writes exactly <see cref="BodyLength"/> octets.</summary>
    public abstract void WriteBody(Span<byte> destination);

    /// <summary>Semantic checks of the payload's RFC section; parsers call it after reading.</summary>
    public virtual bool Verify(out IkeError error)
    {
        error = default;
        return true;
    }

    /// <summary>The body as a new array, e.g. IDx' for RFC 7296 §2.15 AUTH.</summary>
    public byte[] EncodeBody()
    {
        var body = new byte[BodyLength];
        WriteBody(body);
        return body;
    }

    /// <summary>charon's short form for message lines: "SA", "N(COOKIE)", "EAP/RES/1" …</summary>
    public virtual string Summary => Type.ShortName();

    public override string ToString() => Summary;

    private protected static bool Fail<T>(string reason, out T? value, out IkeError error) where T : class
    {
        value = null;
        error = IkeError.Syntax(reason);
        return false;
    }
}
