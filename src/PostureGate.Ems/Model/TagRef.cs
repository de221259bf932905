// A ZTNA tag as an endpoint holds it: name and the token's `type` field (seed document, Example 2).
namespace PostureGate.Ems.Model;

/// <summary>A tag as an endpoint holds it; <see cref="Type"/> is the token's `type` field.</summary>
public readonly record struct TagRef(string Name, int Type);
