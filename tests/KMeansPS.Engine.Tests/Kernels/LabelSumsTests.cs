using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The centroid sums from row-major points: every path gives the bits of the scalar reference, and the reference
/// gives the bits of the structure-of-arrays loop it replaced (copy i mod 4, point order, weight x value in double).
/// </summary>
public unsafe class LabelSumsTests
{
    private delegate void SumPath(float* rows, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots);

    public static TheoryData<int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int dims in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 31, 32, 37 })
        {
            foreach (bool padded in new[] { false, true })
            {
                data.Add(dims, false, padded);
                data.Add(dims, true, padded);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathGivesTheReferenceBits(int dims, bool weighted, bool padded)
    {
        const int k = 5;
        int count = 1000 + dims;
        var rng = new DeterministicRandom((ulong)(dims * 2 + (weighted ? 1 : 0)));
        var rows = new float[count * dims];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.NextDouble() * 8 - 2));
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % 97 < 40 ? 2 : (int)(rng.NextDouble() * k); // long runs of one label too
        float[]? weights = weighted ? new float[count] : null;
        if (weights is not null)
            for (int i = 0; i < count; i++) weights[i] = (float)(rng.NextDouble() * 3);
        // Padded as the fit's scratch is (whole cache lines a label), or packed; the slots between labels stay 0.
        int slots = padded ? (dims + 1 + 7) & ~7 : dims + 1;
        int copyStride = k * slots;

        double[] expected = PlanesLoop(rows, count, dims, labels, weights, copyStride, slots);
        var paths = new (string Name, SumPath Path)[]
        {
            ("scalar", LabelSums.AddScalar),
            ("256", LabelSums.AddVector256),
            ("512", LabelSums.AddVector512),
            ("dispatch", (r, c, d, l, w, s, cs, sl) => LabelSums.Add(InstructionSet.Vector512, r, c, d, l, w, s, cs, sl)),
        };
        foreach (var (name, path) in paths)
        {
            var sums = new double[4 * copyStride];
            fixed (float* r = rows, w = weights)
            fixed (int* l = labels)
            fixed (double* s = sums)
            {
                path(r, count, dims, l, w, s, copyStride, slots);
            }
            for (int j = 0; j < sums.Length; j++)
            {
                if (BitConverter.DoubleToInt64Bits(sums[j]) != BitConverter.DoubleToInt64Bits(expected[j]))
                    Assert.Fail($"{name}: slot {j} is {sums[j]:R}, the reference {expected[j]:R} (D = {dims}, weighted {weighted}, padded {padded})");
            }
        }
    }

    /// <summary>The sums as the fit made them from the planes: coordinate by coordinate, point by point.</summary>
    private static double[] PlanesLoop(float[] rows, int count, int dims, int[] labels, float[]? weights, int copyStride, int slots)
    {
        var planes = new float[rows.Length];
        for (int i = 0; i < count; i++)
            for (int d = 0; d < dims; d++) planes[d * count + i] = rows[i * dims + d];
        var sums = new double[4 * copyStride];
        for (int i = 0; i < count; i++)
        {
            int at = (i & 3) * copyStride + labels[i] * slots;
            double weight = weights is null ? 1.0 : weights[i];
            for (int d = 0; d < dims; d++) sums[at + d] += weight * planes[d * count + i];
            sums[at + dims] += weight;
        }
        return sums;
    }
}
