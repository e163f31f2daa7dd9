using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The centroid sums from the planes give the bits of the sums from the rows (<see cref="LabelSums.AddScalar"/>), on
/// every path, packed or padded slots, weighted or not, with point counts that leave a partial block of eight and
/// plane strides wider than the point count (whose gaps hold NaN: a read past a plane's points would show).
/// </summary>
public unsafe class PlaneSumsTests
{
    private delegate void SumPath(float* planes, nint stride, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots);

    public static TheoryData<int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool, bool>();
        foreach (int dims in new[] { 1, 3, 5, 8, 9, 12, 15, 16, 17, 31, 32, 37, 64 })
        {
            foreach (int count in new[] { 7, 8, 1003 })
            {
                data.Add(dims, count, false, false);
                data.Add(dims, count, true, true);
            }
            data.Add(dims, 1000, false, true);
            data.Add(dims, 1000, true, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathGivesTheBitsOfTheSumsFromRows(int dims, int count, bool weighted, bool padded)
    {
        const int k = 6;
        var rng = new DeterministicRandom((ulong)(dims * 4096 + count * 4 + (weighted ? 2 : 0) + (padded ? 1 : 0)));
        var rows = new float[count * dims];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.NextDouble() * 8 - 2));
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % 89 < 37 ? 4 : (int)(rng.NextDouble() * k); // runs of one label too
        float[]? weights = weighted ? new float[count] : null;
        if (weights is not null)
            for (int i = 0; i < count; i++) weights[i] = (float)(rng.NextDouble() * 3);
        int stride = count + 19;
        var planes = new float[stride * dims];
        Array.Fill(planes, float.NaN);
        for (int i = 0; i < count; i++)
            for (int d = 0; d < dims; d++) planes[d * stride + i] = rows[i * dims + d];
        int slots = padded ? (dims + 1 + 7) & ~7 : dims + 1;
        int copyStride = k * slots;

        var expected = new double[4 * copyStride];
        fixed (float* r = rows, w = weights)
        fixed (int* l = labels)
        fixed (double* s = expected)
        {
            LabelSums.AddScalar(r, count, dims, l, w, s, copyStride, slots);
        }
        var paths = new List<(string Name, SumPath Path)> { ("scalar", PlaneSums.AddScalar) };
        if (PlaneSums.CanTranspose(InstructionSet.Vector512, dims)) paths.Add(("transposed", PlaneSums.AddTransposed));
        foreach (var (name, path) in paths)
        {
            var sums = new double[4 * copyStride];
            fixed (float* p = planes, w = weights)
            fixed (int* l = labels)
            fixed (double* s = sums)
            {
                path(p, stride, count, dims, l, w, s, copyStride, slots);
            }
            for (int j = 0; j < sums.Length; j++)
            {
                if (BitConverter.DoubleToInt64Bits(sums[j]) != BitConverter.DoubleToInt64Bits(expected[j]))
                    Assert.Fail($"{name}: slot {j} is {sums[j]:R}, from rows {expected[j]:R} (D = {dims}, {count} points, weighted {weighted}, padded {padded})");
            }
        }
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(1003, false)]
    [InlineData(1003, true)]
    public void Colours_in_blocks_of_eight_and_one_by_one_give_the_bits_of_the_sums_from_rows(int count, bool weighted)
    {
        if (!System.Runtime.Intrinsics.X86.Avx.IsSupported) return; // the fit takes the one-point loop alone there
        const int k = 5, dims = 3, slots = 4;
        var rng = new DeterministicRandom((ulong)(count * 2 + (weighted ? 1 : 0)));
        var rows = new float[count * dims];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)(rng.NextDouble() * 255);
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % 61 < 30 ? 1 : (int)(rng.NextDouble() * k);
        float[]? weights = weighted ? new float[count] : null;
        if (weights is not null)
            for (int i = 0; i < count; i++) weights[i] = 1 + (int)(rng.NextDouble() * 5000); // pixel counts
        int stride = count + 13;
        var planes = new float[stride * dims];
        Array.Fill(planes, float.NaN);
        for (int i = 0; i < count; i++)
            for (int d = 0; d < dims; d++) planes[d * stride + i] = rows[i * dims + d];
        int copyStride = k * slots;
        var expected = new double[4 * copyStride];
        var sums = new double[4 * copyStride];
        fixed (float* r = rows, p = planes, w = weights)
        fixed (int* l = labels)
        fixed (double* e = expected, s = sums)
        {
            LabelSums.AddScalar(r, count, dims, l, w, e, copyStride, slots);
            PlaneSums.AddThree(p, stride, count, l, w, s, copyStride, slots); // blocks of eight, then one by one
        }
        for (int j = 0; j < sums.Length; j++)
        {
            if (BitConverter.DoubleToInt64Bits(sums[j]) != BitConverter.DoubleToInt64Bits(expected[j]))
                Assert.Fail($"slot {j} is {sums[j]:R}, from rows {expected[j]:R} ({count} points, weighted {weighted})");
        }
    }

    [Fact]
    public void The_transposed_path_runs_where_the_fit_takes_it()
    {
        // The theory above would pass vacuously on a machine without AVX; the x64 CI machines have it.
        if (!System.Runtime.Intrinsics.X86.Avx.IsSupported) return;
        Assert.True(PlaneSums.CanTranspose(InstructionSet.Vector256, 8));
        Assert.False(PlaneSums.CanTranspose(InstructionSet.Vector256, 7));
        Assert.False(PlaneSums.CanTranspose(InstructionSet.Vector128, 32));
    }
}
