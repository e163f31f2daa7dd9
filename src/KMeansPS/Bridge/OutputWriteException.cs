namespace KMeansPS.Bridge;

/// <summary>Writing an output failed (disk full, folder gone, ...): a WriteError, as distinct from reading the source.</summary>
internal sealed class OutputWriteException(string message, Exception inner) : IOException(message, inner);
