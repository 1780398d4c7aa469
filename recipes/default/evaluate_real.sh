#!/bin/sh
# The real-speech development set (data/default/devreal, built by build_data.py): every
# bundling decision is made on it, with the peers run beside our models in the same run.
#   sh recipes/default/evaluate_real.sh
#   MODELS="default=default cand=runs/real/cand" sh recipes/default/evaluate_real.sh
# Two passes per system, both resumable:
#   in noise: devreal/noisy -> EVAL/noisy/<system>, scored against devreal/clean with PESQ-wb,
#             ESTOI and SI-SDR on every clip, DNSMOS on DNSMOS_FILES of them (the noisy
#             input scored too, as `noisy-input`);
#   transparency: devreal/clean itself -> EVAL/clean/<system>, scored against its own input
#             (PESQ-wb, ESTOI, SI-SDR of the output of clean real speech).
# The report (recipes/default/report.py --transparency) prints one table with both and counts
# the clips whose SNR falls (output SI-SDR below the input's) among inputs at 15-20 dB.
set -eu
DEV=${DEV:-data/default/devreal}
EVAL=${EVAL:-eval/devreal}
MODELS=${MODELS:-"default=default"}
PEERS=${PEERS:-"deepfilternet3 gtcrn dtln nsnet2 rnnoise"}
PY=${PY:-.venv/bin/python}
JOBS=${JOBS:-2}
DNSMOS_FILES=${DNSMOS_FILES:-40}

noisy_systems=""
clean_systems=""
for item in $MODELS; do
    name=${item%%=*}
    spec=${item#*=}
    for part in noisy clean; do
        $PY -m malenhance enhance "$DEV/$part" -o "$EVAL/$part/$name" -m "$spec" --threads 1 \
            --quiet --skip-existing
    done
    noisy_systems="$noisy_systems $EVAL/noisy/$name"
    clean_systems="$clean_systems $EVAL/clean/$name"
done
for peer in $PEERS; do
    for part in noisy clean; do
        PYTHONPATH=. OMP_NUM_THREADS=1 $PY -m benchmarks.peers enhance "$peer" "$DEV/$part" \
            "$EVAL/$part/peer-$peer" > /dev/null
    done
    noisy_systems="$noisy_systems $EVAL/noisy/peer-$peer"
    clean_systems="$clean_systems $EVAL/clean/peer-$peer"
done

# Intrusive metrics on every clip; DNSMOS (2 s of CPU per file and system) on DNSMOS_FILES
# clips spread evenly over the sorted list (every group of voices), through links to them.
sub="$EVAL/dnsmos$DNSMOS_FILES"
total=$(ls "$DEV/clean" | wc -l)
stride=$(( total / DNSMOS_FILES > 0 ? total / DNSMOS_FILES : 1 ))
for part in clean noisy; do
    mkdir -p "$sub/$part"
    for f in $(ls "$DEV/$part" | awk -v s="$stride" 'NR % s == 1 || s == 1' \
               | head -n "$DNSMOS_FILES"); do
        ln -sf "$(pwd)/$DEV/$part/$f" "$sub/$part/$f"
    done
done
$PY -m malenhance score $noisy_systems --ref "$sub/clean" --noisy "$sub/noisy" --dnsmos \
    --jobs "$JOBS" -o "$EVAL/noisy-scores.csv" --resume --quiet || true  # the rest: unpaired
$PY -m malenhance score $noisy_systems --ref "$DEV/clean" --noisy "$DEV/noisy" --no-dnsmos \
    --jobs "$JOBS" -o "$EVAL/noisy-all-scores.csv" --resume --quiet
$PY -m malenhance score $clean_systems --ref "$DEV/clean" --no-dnsmos \
    --jobs "$JOBS" -o "$EVAL/clean-scores.csv" --resume --quiet
$PY recipes/default/report.py "$EVAL/noisy-all-scores.csv" \
    --transparency "$EVAL/clean-scores.csv" --manifest "$DEV/manifest.json"
$PY recipes/default/report.py "$EVAL/noisy-scores.csv"
