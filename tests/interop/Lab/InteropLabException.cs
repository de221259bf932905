namespace PostureGate.Interop.Tests.Lab;

/// <summary>The lab itself broke (a daemon did not start, a harness step failed); the message
/// carries the command's output and the log tails.</summary>
public sealed class InteropLabException(string message) : Exception(message);
