namespace KMeansPS.Engine.Selection;

/// <summary>
/// Picks the "elbow" of a distortion curve (error falling as K grows): the point farthest from the straight
/// line through the curve's ends, after both axes are scaled to [0, 1] (the Kneedle idea). Past the elbow,
/// more clusters buy little.
/// </summary>
internal static class ElbowRule
{
    /// <summary>
    /// Index of the elbow of (<paramref name="k"/>, <paramref name="distortion"/>), K ascending. Ties go to the
    /// smaller K. With fewer than three points there is no bend to find, and the last (largest K) is returned.
    /// </summary>
    public static int FindElbow(ReadOnlySpan<double> k, ReadOnlySpan<double> distortion) => Farthest(k, distortion, out _);

    /// <summary>
    /// As <see cref="FindElbow"/>, but -1 when the curve has no bend: fewer than three points, a flat curve, or no point
    /// below the chord by more than rounding (a straight or a concave curve, where each larger K buys as much as the
    /// last or more). For a column that marks an elbow only where there is one.
    /// </summary>
    public static int FindBend(ReadOnlySpan<double> k, ReadOnlySpan<double> distortion)
    {
        int best = Farthest(k, distortion, out double below);
        return k.Length >= 3 && below > Margin ? best : -1;
    }

    // Keeps rounding noise from breaking ties towards the larger K, or from making a straight curve bend.
    private const double Margin = 1e-12;

    private static int Farthest(ReadOnlySpan<double> k, ReadOnlySpan<double> distortion, out double below)
    {
        below = 0;
        if (k.Length != distortion.Length) throw new ArgumentException("k and distortion must have the same length.");
        if (k.Length == 0) throw new ArgumentException("The curve is empty.");
        for (int i = 0; i < k.Length; i++)
        {
            if (!double.IsFinite(k[i]) || !double.IsFinite(distortion[i]))
                throw new ArgumentException($"Point {i} of the curve is not finite.");
            if (i > 0 && k[i] <= k[i - 1]) throw new ArgumentException("K values must be strictly ascending.");
        }
        if (k.Length < 3) return k.Length - 1;

        double x0 = k[0], x1 = k[^1];
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (double y in distortion)
        {
            yMin = Math.Min(yMin, y);
            yMax = Math.Max(yMax, y);
        }
        if (yMax == yMin) return 0; // flat: the smallest K is as good as any

        // Scaled end points of the chord, and each point's distance below it (a falling convex curve sags below).
        double ax = 0, ay = (distortion[0] - yMin) / (yMax - yMin);
        double bx = 1, by = (distortion[^1] - yMin) / (yMax - yMin);
        double dx = bx - ax, dy = by - ay;
        double length = Math.Sqrt(dx * dx + dy * dy);
        int best = 0;
        double bestDistance = double.NegativeInfinity;
        for (int i = 0; i < k.Length; i++)
        {
            double px = (k[i] - x0) / (x1 - x0);
            double py = (distortion[i] - yMin) / (yMax - yMin);
            // Signed: positive when the point lies below the chord.
            double distance = (dx * (ay - py) - dy * (ax - px)) / length;
            if (distance > bestDistance + Margin)
            {
                bestDistance = distance;
                best = i;
            }
        }
        below = bestDistance;
        return best;
    }
}
