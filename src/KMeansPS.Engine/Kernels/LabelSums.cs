using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// A chunk's weighted coordinate sums by label, read from the row-major points: point i adds weight x coordinate
/// (exact in double) into copy (i mod 4) of its label's D + 1 slots (the coordinates, then the weight), in point
/// order; a label's slots start <c>slots</c> (at least D + 1) doubles after the previous label's. Each slot takes
/// the same terms in the same order whatever the width, so the vector paths, which add a row's coordinates 8 or 4
/// slots at a time, give the scalar reference's bits. Rows make the D slots of one point contiguous; from the
/// structure-of-arrays planes the sums are one scalar read-modify-write per coordinate.
/// </summary>
internal static unsafe class LabelSums
{
    /// <summary>The scalar reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddScalar(float* rows, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        for (int i = 0; i < count; i++, rows += dims)
        {
            double* s = sums + (i & 3) * copyStride + labels[i] * slots;
            double weight = weights == null ? 1.0 : ExactConvert.ToDouble(weights[i]);
            for (int d = 0; d < dims; d++) s[d] += weight * ExactConvert.ToDouble(rows[d]);
            s[dims] += weight;
        }
    }

    /// <summary>The widest path <paramref name="cap"/> and the hardware allow.</summary>
    internal static void Add(InstructionSet cap, float* rows, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        if (cap >= InstructionSet.Vector512 && Vector512.IsHardwareAccelerated && dims >= 8)
            AddVector512(rows, count, dims, labels, weights, sums, copyStride, slots);
        else if (cap >= InstructionSet.Vector256 && Vector256.IsHardwareAccelerated && dims >= 4)
            AddVector256(rows, count, dims, labels, weights, sums, copyStride, slots);
        else
            AddScalar(rows, count, dims, labels, weights, sums, copyStride, slots);
    }

    /// <summary>Eight coordinates per step, then four, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddVector512(float* rows, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        for (int i = 0; i < count; i++, rows += dims)
        {
            double* s = sums + (i & 3) * copyStride + labels[i] * slots;
            double weight = weights == null ? 1.0 : ExactConvert.ToDouble(weights[i]);
            var w8 = Vector512.Create(weight);
            int d = 0;
            for (; d <= dims - 8; d += 8)
            {
                Vector512<double> x = Vector512.WidenLower(Vector256.Load(rows + d).ToVector512Unsafe());
                Vector512.Store(Vector512.Load(s + d) + w8 * x, s + d);
            }
            d = AddTail(rows, dims, s, weight, d);
            s[dims] += weight;
        }
    }

    /// <summary>Four coordinates per step, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddVector256(float* rows, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        for (int i = 0; i < count; i++, rows += dims)
        {
            double* s = sums + (i & 3) * copyStride + labels[i] * slots;
            double weight = weights == null ? 1.0 : ExactConvert.ToDouble(weights[i]);
            AddTail(rows, dims, s, weight, 0);
            s[dims] += weight;
        }
    }

    /// <summary>Coordinates from <paramref name="d"/> on: four at a time where Vector256 is accelerated, then one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AddTail(float* row, int dims, double* s, double weight, int d)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var w4 = Vector256.Create(weight);
            for (; d <= dims - 4; d += 4)
            {
                Vector256<double> x = Vector256.WidenLower(Vector128.Load(row + d).ToVector256Unsafe());
                Vector256.Store(Vector256.Load(s + d) + w4 * x, s + d);
            }
        }
        for (; d < dims; d++) s[d] += weight * ExactConvert.ToDouble(row[d]);
        return d;
    }
}
