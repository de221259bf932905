namespace PostureGate.Interop.Tests.Lab;

/// <summary>A TCP transfer client → LAN host: what was sent, what arrived at the far end.</summary>
public sealed record TcpTransferResult(
    long SentBytes,
    string SentSha256,
    long ReceivedBytes,
    string ReceivedSha256,
    CommandResult Sender,
    CommandResult Sink)
{
    public bool Intact => ReceivedBytes == SentBytes && ReceivedSha256 == SentSha256;

    public override string ToString() =>
        $"sent {SentBytes} B sha256 {SentSha256}, LAN host got {ReceivedBytes} B sha256 {ReceivedSha256}\n" +
        $"sender: {Sender}\nsink: {Sink}";
}
