FROM python:3.12-slim
RUN pip install flask
# hadolint global ignore=DL3013
RUN pip install idna
