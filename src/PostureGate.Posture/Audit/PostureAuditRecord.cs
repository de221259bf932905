// One posture decision, revocation or token update as one JSON line (logger category
// "PostureGate.Audit" and any IAuditSink). Never holds a token or key: only their outcome.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostureGate.Posture;

public sealed record PostureAuditRecord
{
    public required DateTimeOffset Time { get; init; }
    /// <summary>"decision", "gw-match", "token-update", "revalidated" (a live tunnel kept under another tag or source) or "revoked".</summary>
    public required string Event { get; init; }
    public required string Tunnel { get; init; }
    public required string Instance { get; init; }
    public string? Peer { get; init; }
    public string? Uid { get; init; }
    public string? Ip { get; init; }
    public string? User { get; init; }
    /// <summary>"allow" or "deny" (or "revoke").</summary>
    public required string Outcome { get; init; }
    public PostureSource Source { get; init; }
    public string? Tag { get; init; }
    public string? Reason { get; init; }
    /// <summary>What re-judged a live tunnel ("EMS1 out of sync since …", "EMS1 change", "ZTNA token update" …).</summary>
    public string? Trigger { get; init; }
    public IReadOnlyList<TagCheck> Tags { get; init; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = false,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, JsonOptions);
}

public interface IAuditSink
{
    void Write(PostureAuditRecord record);
}

/// <summary>Appends one JSON line per record to a writer (a file opened by the caller).</summary>
public sealed class JsonLinesAuditSink(TextWriter writer) : IAuditSink
{
    private readonly Lock _lock = new();

    public void Write(PostureAuditRecord record)
    {
        var line = record.ToJsonLine();
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
