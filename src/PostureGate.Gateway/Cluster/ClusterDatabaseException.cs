// A cluster database operation that did not happen (unreachable, timed out, refused). The message
// is one line for the log, naming the database as postgresql://USER@HOST:PORT/DB and never the
// connection string's password.
namespace PostureGate.Gateway.Cluster;

public sealed class ClusterDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
