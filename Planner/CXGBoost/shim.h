// XGBoost's C API (libxgboost-dev): gradient-boosted trees for forecasting and the early-warning classifier.
#include <xgboost/c_api.h>
