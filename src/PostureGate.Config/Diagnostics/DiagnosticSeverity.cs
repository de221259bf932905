// The severities of configuration diagnostics, as compilers print them: warning, error — PostureGate's own.
namespace PostureGate.Config;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
