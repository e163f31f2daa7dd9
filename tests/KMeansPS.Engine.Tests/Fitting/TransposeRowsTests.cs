using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Rows into planes: the vector transposition writes the scalar reference's planes (and nothing in the gaps between
/// them), over ranges that start and end off a block of eight, and reports the same first value that is not finite,
/// wherever NaN or an infinity sits (a whole block of eight, the coordinates past it, the rows past it).
/// </summary>
public unsafe class TransposeRowsTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int dims in new[] { 1, 3, 7, 8, 9, 15, 16, 17, 32, 33, 64 })
        {
            data.Add(dims, 0, 300);
            data.Add(dims, 5, 262);
            data.Add(dims, 128, 135);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_planes_are_the_scalar_loops(int dims, int from, int to)
    {
        const int n = 300;
        var rng = new DeterministicRandom((ulong)(dims * 1000 + from));
        var rows = new float[n * dims];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)((rng.NextDouble() - 0.5) * 1e6);
        int stride = n + 21;
        float[] expected = Planes(rows, from, to, dims, stride, scalar: true, out long expectedBad);
        float[] actual = Planes(rows, from, to, dims, stride, scalar: false, out long bad);
        Assert.Equal(-1, expectedBad);
        Assert.Equal(-1, bad);
        for (int j = 0; j < expected.Length; j++)
        {
            if (BitConverter.SingleToInt32Bits(actual[j]) != BitConverter.SingleToInt32Bits(expected[j]))
                Assert.Fail($"plane value {j} (plane {j / stride}, row {j % stride}) is {actual[j]}, the reference {expected[j]} (D = {dims}, rows {from}-{to})");
        }
    }

    [Theory]
    [InlineData(32, 0, 0)]        // the first value of a block of eight
    [InlineData(32, 13, 7)]       // inside a block of eight rows by eight coordinates
    [InlineData(33, 40, 32)]      // a coordinate past the last whole eight
    [InlineData(16, 297, 3)]      // a row past the last whole eight
    [InlineData(8, 150, 5)]       // the second block of rows
    [InlineData(5, 77, 4)]        // fewer than eight coordinates: the scalar loop alone
    public void The_first_value_that_is_not_finite_is_found(int dims, int row, int coordinate)
    {
        const int n = 300;
        foreach (float poison in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var rows = new float[n * dims];
            for (int i = 0; i < rows.Length; i++) rows[i] = i % 17 - 8;
            rows[row * dims + coordinate] = poison;
            // A later one as well: the first must win.
            rows[^1] = float.NaN;
            Planes(rows, 0, n, dims, n + 5, scalar: false, out long bad);
            Assert.Equal((long)row * dims + coordinate, bad);
        }
    }

    private static float[] Planes(float[] rows, int from, int to, int dims, int stride, bool scalar, out long bad)
    {
        var planes = new float[stride * dims];
        Array.Fill(planes, -7.25f); // the gaps keep it
        fixed (float* r = rows, p = planes)
        {
            bad = scalar ? PointSet.TransposeRowsScalar(r, from, to, dims, p, stride) : PointSet.TransposeRows(r, from, to, dims, p, stride);
        }
        return planes;
    }
}
