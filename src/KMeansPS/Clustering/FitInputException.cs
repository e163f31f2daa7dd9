namespace KMeansPS.Clustering;

/// <summary>
/// Input that no fit can use (all weights zero, initial centres that do not fit the data), carrying the stable error
/// id the cmdlet reports it with.
/// </summary>
internal sealed class FitInputException(string errorId, string message) : ArgumentException(message)
{
    public string ErrorId { get; } = errorId;
}
