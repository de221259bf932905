using PostureGate.Ike.Messages;

namespace PostureGate.Ike.Tests.Messages.Payloads;

/// <summary>Codec helpers shared by the per-payload tests.</summary>
internal static class PayloadAssert
{
    /// <summary>Encodes the body, parses and verifies it as <paramref name="type"/>, and checks the re-encoding is identical.</summary>
    public static T RoundTrip<T>(T payload) where T : IkePayload
    {
        var body = payload.EncodeBody();
        Assert.True(PayloadChain.TryParseBody(payload.Type, body, out var parsed, out var error), error.ToString());
        Assert.True(parsed!.Verify(out error), error.ToString());
        Assert.Equal(body, parsed.EncodeBody());
        return Assert.IsType<T>(parsed);
    }

    /// <summary>Parsing (or verifying) <paramref name="body"/> fails with INVALID_SYNTAX; returns the reason.</summary>
    public static string Rejects(PayloadType type, byte[] body)
    {
        var copy = (byte[])body.Clone();
        var ok = PayloadChain.TryParseBody(type, body, out var parsed, out var error) && parsed!.Verify(out error);
        Assert.False(ok);
        Assert.Equal(NotifyType.InvalidSyntax, error.Notify);
        // The reader never writes to its input.
        Assert.Equal(copy, body);
        return error.Reason;
    }
}
