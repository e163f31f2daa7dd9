using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// The k-means++ draw from a chunk's values (<see cref="WeightedSampler.DrawWeighted"/>, its tight loops) picks the
/// index the per-point draw (<see cref="WeightedSampler.Draw"/>) picks for the same terms: targets anywhere in the
/// total, on a running sum exactly, past it; zero and negative terms skipped; weighted and not.
/// </summary>
public class WeightedSamplerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DrawingFromChunkValuesPicksThePerPointIndex(bool weighted)
    {
        const int n = 3 * 4096 + 77;
        var rng = new DeterministicRandom(weighted ? 7UL : 8UL);
        float[] weights = weighted ? new float[n] : [];
        for (int i = 0; i < weights.Length; i++) weights[i] = i % 11 == 0 ? 0 : (float)(rng.NextDouble() * 5);
        PointSet points = PointSet.FromRows(new float[n], 1, weights, 1, TestContext.Current.CancellationToken);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i % 13 == 0 ? 0 : i % 17 == 0 ? -1 : (float)rng.NextDouble();
        double Term(int i) => points.Weight(i) * (double)values[i];
        var totals = new double[points.ChunkCount];
        for (int c = 0; c < totals.Length; c++)
        {
            var (start, count) = points.Chunk(c);
            for (int i = start; i < start + count; i++) totals[c] += Math.Max(0, Term(i));
        }
        double total = totals.Sum();
        var targets = new List<double> { 0, total * 0.5, total, total * 1.01 };
        for (int t = 0; t < 300; t++) targets.Add(rng.NextDouble() * total);
        // Exactly on a running sum inside the second chunk: the draw must step past it (strictly greater).
        double running = totals[0];
        for (int i = 4096; i < 4096 + 500; i++) running += Term(i) > 0 ? Term(i) : 0;
        targets.Add(running);

        foreach (double target in targets)
        {
            int expected = WeightedSampler.Draw(target, totals, points, Term);
            int actual = WeightedSampler.DrawWeighted(target, totals, points, c =>
            {
                var (start, count) = points.Chunk(c);
                return values.AsMemory(start, count);
            });
            Assert.True(expected == actual, $"target {target:R}: {expected} against {actual}");
            Assert.True(Term(actual) > 0, $"target {target:R} drew index {actual}, whose term is not positive");
        }
    }
}
