namespace KMeansPS.Pipeline;

/// <summary>
/// How long one stage of an item's work took (<see cref="ItemProgress.Timings"/>). An object, not a value tuple: a list
/// of tuples was compiled anew, unoptimised, in every session's first call.
/// </summary>
internal sealed record StageTime(string Stage, TimeSpan Time);
