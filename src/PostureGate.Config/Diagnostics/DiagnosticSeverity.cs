namespace PostureGate.Config;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
