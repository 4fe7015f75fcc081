# Loss curve of `consisti2v train --log FILE.csv` (columns step,loss,seconds) as a PNG:
#   gnuplot -e "csv='train.csv'; out='docs/demo-model-loss.png'" docs/plot_training_loss.gp
if (!exists("csv")) csv = 'train.csv'
if (!exists("out")) out = 'loss.png'
set terminal pngcairo size 900,480 font ",10"
set output out
set datafile separator ","
set key top right
set xlabel "UNet optimiser step"
set ylabel "ε-prediction MSE (frames 1..7)"
set logscale y
set grid
set title "Demo model: UNet training loss (consisti2v train --preset demo)"
plot csv every ::1 using 1:2 with dots lc rgb "#9fb7d6" title "per step", \
     csv every ::1 using 1:2 smooth bezier lw 2 lc rgb "#1f4e8c" title "smoothed"
