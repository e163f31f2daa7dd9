using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Points prepared once label like <see cref="KMeans.Predict"/> against any centres, any number of times, on every
/// instruction set and from two threads at once; bad input is refused as Predict refuses it.
/// </summary>
public class PreparedPointsTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 3, 2 }, { 7, 3, 16 }, { 4096, 3, 64 }, { 4096 * 3 + 5, 4, 255 }, { 10_000, 2, 7 }, { 3000, 5, 33 }, { 2500, 32, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LabelsAreThoseOfPredictOnEveryInstructionSet(int n, int dims, int k)
    {
        var rng = new DeterministicRandom((ulong)(n * 31 + dims * 7 + k));
        float[] data = Values(rng, n * dims, 255);
        // Whole numbers too, so ties between centres happen and must go to the lowest index.
        for (int i = 0; i < data.Length; i += 3) data[i] = MathF.Round(data[i]);
        for (var isa = InstructionSet.Scalar; isa <= KMeans.BestInstructionSet; isa++)
        {
            using var prepared = new PreparedPoints(data, dims, isa, TestContext.Current.CancellationToken);
            Assert.Equal(n, prepared.Count);
            for (int round = 0; round < 3; round++)
            {
                float[] centres = Values(rng, k * dims, 255);
                if (round == 2 && k > 1) centres.AsSpan(0, dims).CopyTo(centres.AsSpan((k - 1) * dims, dims)); // a duplicate centre
                var expected = new int[n];
                KMeans.Predict(data, dims, centres, expected, default, 2, isa, TestContext.Current.CancellationToken);
                var actual = new int[n + 3];
                Array.Fill(actual, -7);
                prepared.Assign(centres, actual, round == 1 ? 1 : null, TestContext.Current.CancellationToken);
                Assert.Equal(expected, actual.AsSpan(0, n).ToArray());
                Assert.Equal([-7, -7, -7], actual.AsSpan(n).ToArray()); // nothing past the points
            }
        }
    }

    [Fact]
    public void TwoThreadsMayLabelAtOnce()
    {
        var rng = new DeterministicRandom(5);
        const int n = 20_000, dims = 4;
        float[] data = Values(rng, n * dims, 1);
        float[] a = Values(rng, 16 * dims, 1), b = Values(rng, 64 * dims, 1);
        var expectedA = new int[n];
        var expectedB = new int[n];
        KMeans.Predict(data, dims, a, expectedA, cancellationToken: TestContext.Current.CancellationToken);
        KMeans.Predict(data, dims, b, expectedB, cancellationToken: TestContext.Current.CancellationToken);
        using var prepared = new PreparedPoints(data, dims, token: TestContext.Current.CancellationToken);
        var labelsA = new int[n];
        var labelsB = new int[n];
        Parallel.Invoke(
            () => { for (int r = 0; r < 20; r++) prepared.Assign(a, labelsA, 1, TestContext.Current.CancellationToken); },
            () => { for (int r = 0; r < 20; r++) prepared.Assign(b, labelsB, 1, TestContext.Current.CancellationToken); });
        Assert.Equal(expectedA, labelsA);
        Assert.Equal(expectedB, labelsB);
    }

    [Fact]
    public void BadInputIsRefusedAsPredictRefusesIt()
    {
        float[] data = [1, 2, 3, float.NaN, 5, 6];
        var e = Assert.Throws<ArgumentException>(() => new PreparedPoints(data, 3, token: TestContext.Current.CancellationToken));
        Assert.Contains("Row 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PreparedPoints([], 3, token: TestContext.Current.CancellationToken));

        var prepared = new PreparedPoints([1, 2, 3, 4, 5, 6], 3, token: TestContext.Current.CancellationToken);
        Assert.Throws<ArgumentException>(() => prepared.Assign([1, 2], new int[2], null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => prepared.Assign([1, 2, float.PositiveInfinity], new int[2], null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => prepared.Assign([1, 2, 3], new int[1], null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => prepared.Assign([1, 2, 3], new int[2], 0, TestContext.Current.CancellationToken));
        prepared.Dispose();
        prepared.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => prepared.Assign([1, 2, 3], new int[2], null, TestContext.Current.CancellationToken));
    }

    private static float[] Values(DeterministicRandom rng, int count, double scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * scale);
        return v;
    }
}
